using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using AtomicFiles.Tool.Commands;
using AtomicFiles.Tool.Torture;

namespace AtomicFiles.Tool;

/// <summary>
/// Builds the `atomicfile` command tree and runs it with the tool's conventions: exit 0 on success, 1 on failure, 2 on
/// a usage error; every error one line on stderr, naming the verb, never a stack trace.
/// </summary>
internal static class CommandLine
{
    internal const int Success = 0;
    internal const int Failure = 1;
    internal const int Usage = 2;

    internal const string Name = "atomicfile";

    /// <summary>The verbs a user runs.</summary>
    internal static RootCommand Build()
    {
        var root = new RootCommand("atomicfile: crash-safe file writes from the shell, recovery after a crash, and the kill -9 torture demo.")
        {
            WriteCommand.Create(),
            RecoverCommand.Create(),
            TortureCommand.Create(),
        };

        // `atomicfile` alone shows the help (exit 0) rather than an error: there is nothing else it could mean.
        root.SetAction(parseResult => new HelpAction().Invoke(parseResult));
        return root;
    }

    internal static int Run(RootCommand root, string[] args)
    {
        // The torture writer child takes its options from the harness, never from a user: not part of the tree, so
        // neither the help nor the completions show it.
        if (args is [TortureWriterLauncher.WriterVerb, .. var writerArgs])
        {
            return TortureWriterCommand.Run(writerArgs);
        }

        var parseResult = root.Parse(args);
        var error = UnknownOption(parseResult) is { } unknown
            ? $"unknown option '{unknown}' (a name starting with '-' goes after '--')."
            : parseResult.Errors.Count > 0 ? OneLine(parseResult.Errors[0].Message) : null;
        if (error is not null)
        {
            var verb = parseResult.CommandResult.Command is RootCommand ? Name : $"{Name} {parseResult.CommandResult.Command.Name}";
            Console.Error.WriteLine($"{verb}: {error} Run '{verb} --help'.");
            return Usage;
        }

        try
        {
            // Our own signal handling (write's rollback) and our own one-line errors, not the library's defaults.
            return parseResult.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever fails — the disk, the path, the lock, a bug — the user gets what failed, on one line.
            Console.Error.WriteLine($"{Name} {parseResult.CommandResult.Command.Name}: {OneLine(e.Message)}");
            return Failure;
        }
    }

    /// <summary>
    /// A '-'-led word before any '--' that is neither an option nor an option's value: the parser would take it as a
    /// PATH (`write --bogus` would write a file named "--bogus"), which is never what was meant.
    /// </summary>
    private static string? UnknownOption(ParseResult parseResult)
    {
        Token? previous = null;
        foreach (var token in parseResult.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                return null;
            }

            if (token.Type == TokenType.Argument && token.Value.Length > 1 && token.Value[0] == '-' && previous?.Type != TokenType.Option)
            {
                return token.Value;
            }

            previous = token;
        }

        return null;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
