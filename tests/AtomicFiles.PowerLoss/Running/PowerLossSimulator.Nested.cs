using System.Collections.Concurrent;
using System.Diagnostics;
using AtomicFiles.PowerLoss.Devices;
using AtomicFiles.PowerLoss.Log;
using AtomicFiles.PowerLoss.Recording;
using AtomicFiles.PowerLoss.Scenarios;
using AtomicFiles.PowerLoss.States;

namespace AtomicFiles.PowerLoss.Running;

/// <summary>
/// Power cuts during recovery: the workload is recorded as usual; then, on crash states of it that leave recovery
/// work (a transaction journal), the scenarios' <see cref="PowerLossScenario.Recover"/> is itself recorded, the crash
/// states of that recording are enumerated, and each is recovered again — twice — and checked against the outer
/// state's markers.
/// </summary>
public sealed partial class PowerLossSimulator
{
    private const string JournalFileName = ".atomicfiles-transaction.journal";

    /// <param name="fs">The filesystem and mount options.</param>
    /// <param name="scenarios">Run one after another in one recording, recovered together.</param>
    /// <param name="targetNestedStates">How many nested states to check in all.</param>
    /// <param name="nestedStatesPerOuter">At most this many nested states per recorded recovery, so that many outer states are covered.</param>
    /// <param name="seed">Seeds the choice of outer states and the random subsets.</param>
    public PowerLossResult RunNested(
        FileSystemKind fs, IReadOnlyList<PowerLossScenario> scenarios, int targetNestedStates, int nestedStatesPerOuter, int seed)
    {
        var dir = Path.Join(scratch.Path, $"run{Interlocked.Increment(ref _runs)}-nested-{fs.Name.Replace(' ', '-').Replace('=', '-')}");
        Directory.CreateDirectory(dir);
        try
        {
            var baseImage = Path.Join(dir, "base.img");
            MakeBase(fs, scenarios, baseImage, Path.Join(dir, "setup"));
            var recordTime = Stopwatch.StartNew();
            var (markers, log, logBytes) = Record(fs, scenarios, baseImage, dir, BackgroundFsyncInterval);
            recordTime.Stop();

            var checkTime = Stopwatch.StartNew();
            var checkpoints = new Checkpoints(baseImage, log, logBytes, dir);
            var outerStates = CrashStateEnumerator.Enumerate(log, 2000, seed).ToList();
            var random = new Random(seed);
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(outerStates));
            var violations = new ConcurrentBag<Violation>();
            var nested = 0;
            var nestedEntries = 0;
            var nestedFlushes = 0;
            var recordings = 0;
            var uncommitted = 0;
            foreach (var outer in outerStates)
            {
                if (nested >= targetNestedStates)
                {
                    break;
                }

                var outerDir = Path.Join(dir, $"outer{outer.Id}");
                Directory.CreateDirectory(outerDir);
                try
                {
                    var outerImage = Path.Join(outerDir, "outer.img");
                    checkpoints.Build(log, logBytes, outer, outerImage);
                    // Half the recordings, at least, on committed journals (redo): they are the rarer states, and the riskier recovery.
                    var journal = ProbeJournal(fs, outerImage, Path.Join(outerDir, "probe"));
                    if (journal == JournalKind.None || (journal == JournalKind.Uncommitted && uncommitted > recordings - uncommitted))
                    {
                        continue;
                    }

                    var (recoveryLog, recoveryBytes) = RecordRecovery(fs, scenarios, outerImage, outerDir);
                    recordings++;
                    uncommitted += journal == JournalKind.Uncommitted ? 1 : 0;
                    nestedEntries += recoveryLog.Entries.Count;
                    nestedFlushes += recoveryLog.Entries.Count(e => e.IsFlush);
                    var states = Spread(CrashStateEnumerator.Enumerate(recoveryLog, 20 * nestedStatesPerOuter, seed), Math.Min(nestedStatesPerOuter, targetNestedStates - nested));
                    var recoveryCheckpoints = new Checkpoints(outerImage, recoveryLog, recoveryBytes, outerDir);
                    var queue = new ConcurrentQueue<CrashState>(states);
                    var workers = Enumerable.Range(0, Workers).Select(worker => Task.Factory.StartNew(() =>
                    {
                        while (queue.TryDequeue(out var state))
                        {
                            CheckState(fs, scenarios, recoveryCheckpoints, recoveryLog, recoveryBytes, state, markers,
                                Path.Join(outerDir, $"w{worker}.img"), Path.Join(outerDir, $"w{worker}"), violations,
                                markerState: outer, label: $"outer {outer} / recovery {state}");
                        }
                    }, TaskCreationOptions.LongRunning)).ToArray();
                    Task.WaitAll(workers);
                    nested += states.Count;
                }
                finally
                {
                    Directory.Delete(outerDir, recursive: true);
                }
            }

            return new PowerLossResult(fs, scenarios.Select(s => s.Name + " (recovery cut)").ToList(), nestedEntries, nestedFlushes, nested,
                [.. violations.Select(v => v with { Scenario = v.Scenario + " (recovery cut)" }).OrderBy(v => v.Scenario, StringComparer.Ordinal)],
                recordTime.Elapsed, checkTime.Elapsed)
            {
                Recordings = recordings,
            };
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// <paramref name="count"/> states spread evenly over <paramref name="states"/>: the enumerator lists the prefixes
    /// first, in log order, so its first few would all be cuts early in the recovery (while mounting).
    /// </summary>
    private static List<CrashState> Spread(IReadOnlyList<CrashState> states, int count) =>
        states.Count <= count ? [.. states] : [.. Enumerable.Range(0, count).Select(i => states[(int)((long)i * states.Count / count)])];

    private enum JournalKind
    {
        None,
        Uncommitted,
        Committed,
    }

    /// <summary>Records every block write of mounting the crash state in <paramref name="outerImage"/>, recovering each scenario and unmounting.</summary>
    private static (WriteLog Log, byte[] Bytes) RecordRecovery(FileSystemKind fs, IReadOnlyList<PowerLossScenario> scenarios, string outerImage, string dir)
    {
        var disk = Path.Join(dir, "rec.img");
        Reflink.Clone(outerImage, disk);
        try
        {
            using (var recorder = WriteRecorder.Start(disk, Path.Join(dir, "rec.log"), Path.Join(dir, "rec.export")))
            {
                using var loop = LoopDevice.Attach(recorder.ExportPath, directIo: false);
                using var mount = Mount.Create(loop.Path, Path.Join(dir, "rec"), fs.Type, fs.MountOptions);
                for (var i = 0; i < scenarios.Count; i++)
                {
                    try
                    {
                        scenarios[i].Recover(Path.Join(mount.Target, WorkloadChild.ScenarioDirectory(i)));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // The nested states' own recovery reports what goes wrong; this run only has to write.
                    }
                }
            }

            var log = WriteLog.Read(Path.Join(dir, "rec.log"));
            return (log, File.ReadAllBytes(log.Path));
        }
        finally
        {
            File.Delete(disk);
        }
    }

    /// <summary>Whether the crash state leaves a transaction journal, and whether one of them holds a seal line (a rough sign of "committed").</summary>
    private static JournalKind ProbeJournal(FileSystemKind fs, string image, string mountPoint)
    {
        var probe = image + ".probe";
        Reflink.Clone(image, probe);
        try
        {
            using var loop = LoopDevice.Attach(probe, directIo: false);
            using var mount = Mount.Create(loop.Path, mountPoint, fs.Type, fs.MountOptions);
            var journals = Directory.EnumerateFiles(mount.Target, JournalFileName, SearchOption.AllDirectories).ToList();
            return journals.Count == 0 ? JournalKind.None
                : journals.Any(j => File.ReadAllText(j).Contains("\ncommit ", StringComparison.Ordinal)) ? JournalKind.Committed
                : JournalKind.Uncommitted;
        }
        catch (MountFailedException)
        {
            return JournalKind.None;
        }
        finally
        {
            File.Delete(probe);
        }
    }
}
