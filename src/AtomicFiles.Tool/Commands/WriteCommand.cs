namespace AtomicFiles.Tool.Commands;

/// <summary>
/// `atomicfile write PATH`: standard input to PATH, atomically and durably — a crash-safe `sponge`, so
/// `jq . config.json | atomicfile write config.json` never leaves a truncated file.
/// </summary>
/// <remarks>
/// `--create-new` (left out of the usage: it is there for the fault tests, to reach <see cref="AtomicFile.CreateNew"/>
/// from a process) publishes only if nothing exists at PATH.
/// </remarks>
internal sealed class WriteCommand : ICommand
{
    public string Name => "write";

    public string Usage => "write [--durability full|fileonly|none] [--no-follow] PATH";

    public string Summary => "Copy standard input to PATH atomically and durably.";

    public int Run(string[] args)
    {
        string? path = null;
        var createNew = false;
        var options = new AtomicFileOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--durability" when i + 1 < args.Length:
                    options = new AtomicFileOptions { Durability = DurabilityArgument.Parse(args[++i]), Symlinks = options.Symlinks };
                    break;
                case "--create-new":
                    createNew = true;
                    break;
                case "--no-follow":
                    options = new AtomicFileOptions { Durability = options.Durability, Symlinks = SymlinkHandling.ReplaceLink };
                    break;
                case var arg when arg.StartsWith('-') && arg != "-":
                    throw new UsageException($"unknown option '{arg}'");
                default:
                    path = path is null ? args[i] : throw new UsageException("only one PATH may be given");
                    break;
            }
        }

        if (path is null)
        {
            throw new UsageException("PATH is missing");
        }

        using var input = Console.OpenStandardInput();
        using var writer = createNew ? AtomicFile.CreateNew(path, options) : AtomicFile.Create(path, options);
        input.CopyTo(writer);
        writer.Commit();
        return CommandLine.Success;
    }
}
