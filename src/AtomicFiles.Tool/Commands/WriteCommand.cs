using System.CommandLine;

namespace AtomicFiles.Tool.Commands;

/// <summary>
/// `atomicfile write PATH`: standard input to PATH, atomically and durably — a crash-safe `sponge`, so
/// `jq . config.json | atomicfile write config.json` never leaves a truncated file.
/// </summary>
internal static class WriteCommand
{
    internal static Command Create()
    {
        var durability = DurabilityOption.Create();
        var noFollow = new Option<bool>("--no-follow")
        {
            Description = "If PATH is a symbolic link, replace the link itself instead of writing through it to its target.",
        };
        var ifChanged = new Option<bool>("--if-changed")
        {
            Description = "Leave PATH untouched (same file, same modification time) if its content already equals the input, as install -C does.",
        };
        var path = PathArgument.Argument("PATH", "The file to replace or create. A name starting with '-' goes after '--'.");
        var command = new Command("write", "Copy standard input to PATH atomically and durably; Ctrl-C, SIGTERM or SIGHUP before the end leave PATH unchanged.")
        {
            durability, noFollow, ifChanged, path,
        };
        command.SetAction(parseResult =>
        {
            var options = new AtomicFileOptions
            {
                Durability = parseResult.GetValue(durability),
                Symlinks = parseResult.GetValue(noFollow) ? SymlinkHandling.ReplaceLink : SymlinkHandling.FollowToTarget,
            };
            var target = parseResult.GetRequiredValue(path);
            using var unchangedIf = parseResult.GetValue(ifChanged) ? ContentComparer.Open(target, options.Symlinks == SymlinkHandling.FollowToTarget) : null;
            return InterruptibleCopy.Run(Console.OpenStandardInput(), target, () => AtomicFile.Create(target, options), unchangedIf);
        });
        return command;
    }
}
