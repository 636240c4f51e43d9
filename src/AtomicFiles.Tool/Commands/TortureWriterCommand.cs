using AtomicFiles.Tool.Torture;

namespace AtomicFiles.Tool.Commands;

/// <summary>`atomicfile torture-writer --dir D --slot S --size BYTES [--role Files|Transactions]`: the writer child the torture harness starts. Hidden.</summary>
internal sealed class TortureWriterCommand : ICommand
{
    public string Name => TortureWriterLauncher.WriterVerb;

    public string Usage => "torture-writer --dir D --slot S --size BYTES [--role Files|Transactions]";

    public string Summary => "(internal) A writer child of 'torture'.";

    public bool IsHidden => true;

    public int Run(string[] args)
    {
        try
        {
            return TortureWriter.Run(args, new LibraryCommitter());
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new UsageException(e.Message);
        }
    }
}
