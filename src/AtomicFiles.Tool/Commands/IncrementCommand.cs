using System.Globalization;

namespace AtomicFiles.Tool.Commands;

/// <summary>
/// `atomicfile increment PATH COUNT`: adds 1 to the decimal counter in PATH, COUNT times, each through
/// <see cref="AtomicFile.UpdateText"/>. Hidden: the test suite runs it in several processes at once to show that
/// no update is lost.
/// </summary>
internal sealed class IncrementCommand : ICommand
{
    private static readonly AtomicFileOptions s_waitForever = new() { LockTimeout = Timeout.InfiniteTimeSpan };

    public string Name => "increment";

    public string Usage => "increment PATH COUNT";

    public string Summary => "(internal) Increment the counter in PATH COUNT times with AtomicFile.UpdateText.";

    public bool IsHidden => true;

    public int Run(string[] args)
    {
        if (args is not [var path, var countText] || !int.TryParse(countText, CultureInfo.InvariantCulture, out var count) || count < 0)
        {
            throw new UsageException("PATH and a non-negative COUNT are needed");
        }

        for (var i = 0; i < count; i++)
        {
            AtomicFile.UpdateText(path, text => (long.Parse(text ?? "0", CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture), s_waitForever);
        }

        return CommandLine.Success;
    }
}
