using AtomicFiles.Tool.Torture;

namespace AtomicFiles.Tool.Commands;

/// <summary>
/// `atomicfile torture-writer --dir D --slot S --size BYTES [--role Files|Transactions]`: the writer child the torture
/// harness starts. It ships in the tool, unlisted, because the demo (`atomicfile torture`) needs a writer process
/// running the library and this very tool is the one program certain to be installed; it is not meant to be run by hand.
/// </summary>
internal static class TortureWriterCommand
{
    internal static int Run(string[] args)
    {
        try
        {
            return TortureWriter.Run(args, new LibraryCommitter());
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine($"{CommandLine.Name} {TortureWriterLauncher.WriterVerb}: {e.Message}");
            return CommandLine.Usage;
        }
    }
}
