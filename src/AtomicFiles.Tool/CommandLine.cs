using AtomicFiles.Tool.Commands;

namespace AtomicFiles.Tool;

/// <summary>Dispatches `atomicfile VERB ...` to its command and turns failures into one line on stderr and an exit code.</summary>
internal static class CommandLine
{
    internal const int Success = 0;
    internal const int Failure = 1;
    internal const int Usage = 2;

    private static readonly ICommand[] s_commands =
    [
        new WriteCommand(),
        new RecoverCommand(),
        new CleanCommand(),
        new TortureCommand(),
        new TortureWriterCommand(),
        new IncrementCommand(),
    ];

    internal static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintHelp(Console.Out);
            return args.Length == 0 ? Usage : Success;
        }

        var command = Array.Find(s_commands, c => c.Name == args[0]);
        if (command is null)
        {
            Console.Error.WriteLine($"atomicfile: unknown command '{args[0]}'. Run 'atomicfile --help'.");
            return Usage;
        }

        try
        {
            return command.Run(args[1..]);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"atomicfile {command.Name}: {e.Message}");
            Console.Error.WriteLine($"usage: atomicfile {command.Usage}");
            return Usage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"atomicfile {command.Name}: {e.Message}");
            return Failure;
        }
    }

    private static void PrintHelp(TextWriter output)
    {
        output.WriteLine("atomicfile: crash-safe file writes.");
        output.WriteLine();
        output.WriteLine("Commands:");
        foreach (var command in s_commands.Where(c => !c.IsHidden))
        {
            output.WriteLine($"  {command.Usage,-60} {command.Summary}");
        }
    }
}
