using System.Diagnostics;
using AtomicFiles.FaultInjection;

namespace AtomicFiles.TestTool;

/// <summary>
/// `atomicfile transaction ROOT --write PATH TEXT --delete PATH ...`: several files changed all together or not at
/// all. `--repeat N` commits N transactions in a row, with `{n}` in each TEXT replaced by the transaction's number,
/// pausing `--pause-ms` between them so other processes get the root's lock: the load the crash and concurrency
/// tests drive. `--until-exists PATH` ends the run early, before the next transaction, once PATH exists: a test stops
/// its writers when it has seen enough, however slowly the machine lets it see. `--kill-after-step K` kills the process
/// (SIGKILL, no cleanup) right after the K-th step of the commits, and `--trace-steps` prints each step: they let tests
/// crash a real process at every step of the protocol.
/// </summary>
internal static class TransactionCommand
{
    internal static int Run(string[] args)
    {
        string? root = null;
        var durability = Durability.Full;
        var repeat = 1;
        var pauseMilliseconds = 0;
        string? stopFile = null;
        var traceSteps = false;
        var killAfterStep = 0;
        var operations = new List<(string Path, string? Text)>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--durability" when i + 1 < args.Length:
                    durability = Durabilities.Parse(args[++i]);
                    break;
                case "--repeat" when i + 1 < args.Length:
                    repeat = PositiveInteger(args[++i], "--repeat");
                    break;
                case "--pause-ms" when i + 1 < args.Length:
                    pauseMilliseconds = PositiveInteger(args[++i], "--pause-ms");
                    break;
                case "--until-exists" when i + 1 < args.Length:
                    stopFile = args[++i];
                    break;
                case "--trace-steps":
                    traceSteps = true;
                    break;
                case "--kill-after-step" when i + 1 < args.Length:
                    killAfterStep = PositiveInteger(args[++i], "--kill-after-step");
                    break;
                case "--write" when i + 2 < args.Length:
                    operations.Add((args[i + 1], args[i + 2]));
                    i += 2;
                    break;
                case "--delete" when i + 1 < args.Length:
                    operations.Add((args[++i], null));
                    break;
                case var arg when arg.StartsWith('-'):
                    throw new UsageException($"unknown option or missing value: '{arg}'");
                default:
                    root = root is null ? args[i] : throw new UsageException("only one ROOT may be given");
                    break;
            }
        }

        if (root is null || operations.Count == 0)
        {
            throw new UsageException(root is null ? "ROOT is missing" : "nothing to do: give --write or --delete");
        }

        var steps = 0;
        var options = new AtomicFileOptions
        {
            Durability = durability,
            // Staged files are flushed on several threads at once, so steps are counted atomically.
            Faults = traceSteps || killAfterStep > 0 ? new() { AfterStep = step => OnStep(step, Interlocked.Increment(ref steps), traceSteps, killAfterStep) } : null,
        };
        for (var n = 1; n <= repeat && (stopFile is null || !File.Exists(stopFile)); n++)
        {
            if (n > 1 && pauseMilliseconds > 0)
            {
                Thread.Sleep(pauseMilliseconds);
            }

            using var tx = AtomicFile.BeginTransaction(root, options);
            foreach (var (path, text) in operations)
            {
                if (text is null)
                {
                    tx.Delete(path);
                }
                else
                {
                    tx.WriteAllText(path, text.Replace("{n}", n.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
                }
            }

            tx.Commit();
        }

        return 0;
    }

    private static void OnStep(ReachedStep step, int number, bool trace, int killAfter)
    {
        if (trace)
        {
            Console.Out.WriteLine(step);
            Console.Out.Flush();
        }

        if (number == killAfter)
        {
            // SIGKILL to ourselves: no finally block, no Dispose, no flush — exactly a kill -9 at this step.
            Process.GetCurrentProcess().Kill();
        }
    }

    private static int PositiveInteger(string value, string option) =>
        int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new UsageException($"{option} needs a positive whole number, not '{value}'");
}
