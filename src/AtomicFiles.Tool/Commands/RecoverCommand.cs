using System.CommandLine;
using AtomicFiles.Recovery;

namespace AtomicFiles.Tool.Commands;

/// <summary>
/// `atomicfile recover DIR`: runs <see cref="AtomicFile.Recover"/> on DIR and prints what it did. With `--dry-run` it
/// only lists the temp files of dead writers (which recovery would remove) and of live ones (which it keeps).
/// </summary>
internal static class RecoverCommand
{
    internal static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Change nothing: list the orphaned temp files recovery would remove and those still in use.",
        };
        var directory = PathArgument.Argument("DIR", "The directory (a transaction root, or any directory written with AtomicFiles).");
        var command = new Command("recover", "Finish or roll back interrupted transactions in DIR and remove dead writers' temp files.")
        {
            dryRun, directory,
        };
        command.SetAction(parseResult => parseResult.GetValue(dryRun)
            ? DryRun(parseResult.GetRequiredValue(directory))
            : Recover(parseResult.GetRequiredValue(directory)));
        return command;
    }

    private static int Recover(string directory)
    {
        var report = AtomicFile.Recover(directory);
        Console.WriteLine(report.ToString());
        return CommandLine.Success;
    }

    private static int DryRun(string directory)
    {
        var fullPath = Path.GetFullPath(directory);
        if (!Directory.Exists(fullPath))
        {
            throw new DirectoryNotFoundException($"Could not find the directory '{fullPath}'.");
        }

        var sweep = OrphanSweeper.Sweep(fullPath, remove: false, AtomicFileOptions.Default);
        foreach (var path in sweep.Orphaned)
        {
            Console.WriteLine($"orphaned  {path}");
        }

        foreach (var path in sweep.InUse)
        {
            Console.WriteLine($"in use    {path}");
        }

        Console.WriteLine($"{sweep.Orphaned.Count} orphaned, {sweep.InUse.Count} in use. 'atomicfile recover {directory}' removes the orphaned ones.");
        return CommandLine.Success;
    }
}
