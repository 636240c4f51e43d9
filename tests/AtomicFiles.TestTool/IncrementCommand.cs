using System.Globalization;
using AtomicFiles.FaultInjection;

namespace AtomicFiles.TestTool;

/// <summary>
/// `atomicfile increment PATH COUNT`: adds 1 to the decimal counter in PATH, COUNT times, each through
/// <see cref="AtomicFile.UpdateText"/>: the test suite runs it in several processes at once to show that no update is
/// lost. A counter at long.MaxValue, or not a number, is an error, never a wrap-around.
/// </summary>
internal static class IncrementCommand
{
    internal static int Run(string[] args)
    {
        if (args is not [var path, var countText, ..] || !int.TryParse(countText, CultureInfo.InvariantCulture, out var count) || count < 0)
        {
            throw new UsageException("PATH and a non-negative COUNT are needed");
        }

        // The lock is what is under test, not the disk: the suite may skip the flushes to keep the run short. The
        // suite's controls name a deliberate defect with --defect, to show their checks catch it.
        var durability = Durability.Full;
        var defect = InjectedDefect.None;
        for (var i = 2; i < args.Length; i += 2)
        {
            switch (args[i..])
            {
                case ["--durability", var value, ..]:
                    durability = Durabilities.Parse(value);
                    break;
                case ["--defect", var name, ..] when Enum.TryParse(name, out InjectedDefect parsed) && Enum.IsDefined(parsed):
                    defect = parsed;
                    break;
                default:
                    throw new UsageException("the options are --durability and --defect");
            }
        }

        var options = new AtomicFileOptions { Durability = durability, LockTimeout = Timeout.InfiniteTimeSpan, Faults = new() { Defects = defect } };

        for (var i = 0; i < count; i++)
        {
            AtomicFile.UpdateText(path, text => checked(long.Parse(text ?? "0", NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture), options);
        }

        return 0;
    }
}
