namespace AtomicFiles.Tool.Commands;

/// <summary>`atomicfile recover DIR`: runs <see cref="AtomicFile.Recover"/> on DIR and prints what it did.</summary>
internal sealed class RecoverCommand : ICommand
{
    public string Name => "recover";

    public string Usage => "recover DIR";

    public string Summary => "Finish or roll back interrupted work in DIR and remove dead writers' temp files.";

    public int Run(string[] args)
    {
        var directory = args is [var single] && !single.StartsWith('-') ? single : throw new UsageException("exactly one DIR is needed");
        var report = AtomicFile.Recover(directory);
        if (report.IsClean)
        {
            Console.WriteLine($"{report.Directory}: nothing to recover.");
            return CommandLine.Success;
        }

        Console.WriteLine($"{report.Directory}:");
        Print("completed transaction", report.CompletedTransactions);
        Print("rolled back transaction", report.RolledBackTransactions);
        Print("removed orphaned temp", report.RemovedTempFiles);
        return CommandLine.Success;
    }

    private static void Print(string what, IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            Console.WriteLine($"  {what}: {path}");
        }
    }
}
