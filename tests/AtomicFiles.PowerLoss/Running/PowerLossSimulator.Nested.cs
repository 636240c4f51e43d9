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
/// state's markers; optionally the recovery of such a cut state is recorded and cut in its turn.
/// </summary>
public sealed partial class PowerLossSimulator
{
    private const string JournalFileName = ".atomicfiles-transaction.journal";

    /// <param name="fs">The filesystem and mount options.</param>
    /// <param name="scenarios">Run one after another in one recording, recovered together.</param>
    /// <param name="targetNestedStates">How many nested states to check in all.</param>
    /// <param name="nestedStatesPerOuter">At most this many nested states per recorded recovery, so that many outer states are covered.</param>
    /// <param name="seed">Seeds the choice of outer states and the random subsets.</param>
    /// <param name="cuts">
    /// How many recoveries in a row are cut: 1 cuts the recovery of each outer state; 2 also records the recovery of
    /// one of those cut states that still leaves a journal, and cuts that second recovery (the states of both count).
    /// </param>
    public PowerLossResult RunNested(
        FileSystemKind fs, IReadOnlyList<PowerLossScenario> scenarios, int targetNestedStates, int nestedStatesPerOuter, int seed, int cuts = 1)
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
            var totals = new RecoveryTotals();
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

                    recordings++;
                    uncommitted += journal == JournalKind.Uncommitted ? 1 : 0;
                    nested += CutRecovery(fs, scenarios, outerImage, outerDir, markers, outer, $"outer {outer}", Math.Min(nestedStatesPerOuter, targetNestedStates - nested), seed, cuts, violations, totals);
                }
                finally
                {
                    Directory.Delete(outerDir, recursive: true);
                }
            }

            return new PowerLossResult(fs, scenarios.Select(s => s.Name + " (recovery cut)").ToList(), totals.Entries, totals.Flushes, nested,
                [.. violations.Select(v => v with { Scenario = v.Scenario + " (recovery cut)" }).OrderBy(v => v.Scenario, StringComparer.Ordinal)],
                recordTime.Elapsed, checkTime.Elapsed)
            {
                Recordings = totals.Recordings,
                SecondCutStates = totals.SecondCutStates,
            };
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Records the scenarios' recovery of the crash state in <paramref name="image"/>, and checks
    /// <paramref name="count"/> crash states of that recording (spread over it), each recovered twice, against the
    /// markers of <paramref name="outer"/>. With <paramref name="cuts"/> above 1, the first of those states (in a seeded
    /// order) that still leaves a journal is cut in its turn: its recovery recorded and its states checked, and so on.
    /// </summary>
    /// <returns>How many states were checked, at every depth.</returns>
    private int CutRecovery(
        FileSystemKind fs, IReadOnlyList<PowerLossScenario> scenarios, string image, string dir, IReadOnlyDictionary<string, int> markers,
        CrashState outer, string label, int count, int seed, int cuts, ConcurrentBag<Violation> violations, RecoveryTotals totals)
    {
        var (recoveryLog, recoveryBytes) = RecordRecovery(fs, scenarios, image, dir);
        totals.Recordings++;
        totals.Entries += recoveryLog.Entries.Count;
        totals.Flushes += recoveryLog.Entries.Count(e => e.IsFlush);
        var states = Spread(CrashStateEnumerator.Enumerate(recoveryLog, 20 * count, seed), count);
        var checkpoints = new Checkpoints(image, recoveryLog, recoveryBytes, dir);
        var queue = new ConcurrentQueue<CrashState>(states);
        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Factory.StartNew(() =>
        {
            while (queue.TryDequeue(out var state))
            {
                CheckState(fs, scenarios, checkpoints, recoveryLog, recoveryBytes, state, markers,
                    Path.Join(dir, $"w{worker}.img"), Path.Join(dir, $"w{worker}"), violations,
                    markerState: outer, label: $"{label} / recovery {state}");
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(workers);
        var checkedStates = states.Count;
        if (cuts <= 1)
        {
            return checkedStates;
        }

        var candidates = states.ToArray();
        new Random(seed).Shuffle(candidates);
        foreach (var state in candidates)
        {
            var cutDir = Path.Join(dir, $"cut{state.Id}");
            Directory.CreateDirectory(cutDir);
            try
            {
                var cutImage = Path.Join(cutDir, "cut.img");
                checkpoints.Build(recoveryLog, recoveryBytes, state, cutImage);
                if (ProbeJournal(fs, cutImage, Path.Join(cutDir, "probe")) == JournalKind.None)
                {
                    continue;
                }

                var deeper = CutRecovery(fs, scenarios, cutImage, cutDir, markers, outer, $"{label} / recovery {state}", count, seed, cuts - 1, violations, totals);
                totals.SecondCutStates += deeper;
                return checkedStates + deeper;
            }
            finally
            {
                Directory.Delete(cutDir, recursive: true);
            }
        }

        return checkedStates;
    }

    /// <summary>What the recorded recoveries of one nested run add up to.</summary>
    private sealed class RecoveryTotals
    {
        public int Recordings { get; set; }

        public int Entries { get; set; }

        public int Flushes { get; set; }

        public int SecondCutStates { get; set; }
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
