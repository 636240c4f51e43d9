using AtomicFiles.Recovery;

namespace AtomicFiles.Tool.Commands;

/// <summary>
/// `atomicfile clean DIR`: a dry run of the temp sweep. Lists the temp files of dead writers (which `recover` would
/// remove) and those of live writers (which it keeps), and changes nothing. Removing is left to `recover` on purpose:
/// a temp staged by an interrupted transaction may still be needed to finish it, and only recovery knows.
/// </summary>
internal sealed class CleanCommand : ICommand
{
    public string Name => "clean";

    public string Usage => "clean DIR";

    public string Summary => "List the temp files in DIR: orphaned (recover removes them) or in use. Changes nothing.";

    public int Run(string[] args)
    {
        var directory = args is [var single] && !single.StartsWith('-') ? single : throw new UsageException("exactly one DIR is needed");
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
