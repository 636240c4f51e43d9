using System.Globalization;

namespace AtomicFiles.Tool.Commands;

/// <summary>
/// `atomicfile increment PATH COUNT`: adds 1 to the decimal counter in PATH, COUNT times, each through
/// <see cref="AtomicFile.UpdateText"/>. Hidden: the test suite runs it in several processes at once to show that
/// no update is lost.
/// </summary>
internal sealed class IncrementCommand : ICommand
{
    public string Name => "increment";

    public string Usage => "increment PATH COUNT [--durability full|fileonly|none]";

    public string Summary => "(internal) Increment the counter in PATH COUNT times with AtomicFile.UpdateText.";

    public bool IsHidden => true;

    public int Run(string[] args)
    {
        if (args is not [var path, var countText, ..] || !int.TryParse(countText, CultureInfo.InvariantCulture, out var count) || count < 0)
        {
            throw new UsageException("PATH and a non-negative COUNT are needed");
        }

        // The lock is what is under test, not the disk: the suite may skip the flushes to keep the run short.
        var durability = args is [_, _, "--durability", var value] ? WriteCommand.ParseDurability(value)
            : args.Length == 2 ? Durability.Full
            : throw new UsageException("the only option is --durability");
        var options = new AtomicFileOptions { Durability = durability, LockTimeout = Timeout.InfiniteTimeSpan };

        for (var i = 0; i < count; i++)
        {
            AtomicFile.UpdateText(path, text => (long.Parse(text ?? "0", CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture), options);
        }

        return CommandLine.Success;
    }
}
