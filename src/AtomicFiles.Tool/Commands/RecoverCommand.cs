using System.CommandLine;

namespace AtomicFiles.Tool.Commands;

/// <summary>
/// `atomicfile recover DIR`: runs <see cref="AtomicFile.Recover"/> on DIR and prints what it did. With `--dry-run` it
/// runs <see cref="AtomicFile.RecoverDryRun"/> instead: prints what recover would do, and changes nothing.
/// </summary>
internal static class RecoverCommand
{
    internal static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Change nothing: print what recover would do (transactions it would complete or roll back, orphaned temp files it would remove).",
        };
        var directory = PathArgument.Argument("DIR", "The directory (a transaction root, or any directory written with AtomicFiles).");
        var command = new Command("recover", "Finish or roll back interrupted transactions in DIR and remove dead writers' temp files.")
        {
            dryRun, directory,
        };
        command.SetAction(parseResult => Recover(parseResult.GetRequiredValue(directory), parseResult.GetValue(dryRun)));
        return command;
    }

    private static int Recover(string directory, bool dryRun)
    {
        var report = dryRun ? AtomicFile.RecoverDryRun(directory) : AtomicFile.Recover(directory);
        Console.WriteLine(report.ToString());
        return CommandLine.Success;
    }
}
