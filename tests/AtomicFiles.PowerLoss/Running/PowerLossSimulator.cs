using System.Collections.Concurrent;
using System.Diagnostics;
using AtomicFiles.PowerLoss.Devices;
using AtomicFiles.PowerLoss.Log;
using AtomicFiles.PowerLoss.Recording;
using AtomicFiles.PowerLoss.Scenarios;
using AtomicFiles.PowerLoss.States;
using AtomicFiles.Testing;

namespace AtomicFiles.PowerLoss.Running;

/// <summary>
/// The whole method for one filesystem: make the base image with the scenarios' old state, record the workload's
/// block writes, enumerate crash states from the log, and mount and check each one on a reflink clone of the base.
/// </summary>
public sealed partial class PowerLossSimulator(ScratchVolume scratch, WorkloadLauncher launcher)
{
    private int _runs;

    /// <summary>Workers, each with its own loop device and mount point: the machine has 2 cores.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>How often a neighbouring application fsyncs beside the workload (<see cref="BackgroundFsyncs"/>); zero: never.</summary>
    public TimeSpan BackgroundFsyncInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <param name="fs">The filesystem and mount options.</param>
    /// <param name="scenarios">Run one after another in one recording; each crash state is checked against all.</param>
    /// <param name="targetStates">How many distinct crash states to check (fewer if the log has no more).</param>
    /// <param name="seed">Seeds the random subsets: the same log gives the same states.</param>
    /// <param name="backgroundFsyncInterval">Overrides <see cref="BackgroundFsyncInterval"/> for this run.</param>
    /// <param name="tearBytes">The unit in-flight writes are torn at (see <see cref="CrashStateEnumerator.Enumerate"/>).</param>
    public PowerLossResult Run(
        FileSystemKind fs, IReadOnlyList<PowerLossScenario> scenarios, int targetStates, int seed, TimeSpan? backgroundFsyncInterval = null,
        int tearBytes = WritePiece.Size)
    {
        var dir = Path.Join(scratch.Path, $"run{Interlocked.Increment(ref _runs)}-{fs.Name.Replace(' ', '-').Replace('=', '-')}");
        Directory.CreateDirectory(dir);
        try
        {
            var baseImage = Path.Join(dir, "base.img");
            MakeBase(fs, scenarios, baseImage, Path.Join(dir, "setup"));

            var recordTime = Stopwatch.StartNew();
            var (markers, log, logBytes) = Record(fs, scenarios, baseImage, dir, backgroundFsyncInterval ?? BackgroundFsyncInterval);
            recordTime.Stop();

            var checkTime = Stopwatch.StartNew();
            var states = Sample(log, targetStates, seed, tearBytes);
            var violations = Check(fs, scenarios, baseImage, log, logBytes, states, markers, dir);
            return new PowerLossResult(fs, scenarios.Select(s => s.Name).ToList(), log.Entries.Count,
                log.Entries.Count(e => e.IsFlush), states.Count, violations, recordTime.Elapsed, checkTime.Elapsed)
            {
                Reach = states.Max(s => s.WindowEnd),
                FirstPromise = markers.Count > 0 ? markers.Values.Min() : null,
            };
        }
        finally
        {
            KeepForInvestigation(dir, fs);
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The states to check. The enumerator lists every in-order prefix first, in log order: when they all fit in the
    /// target, its first <paramref name="target"/> states are taken (every prefix, then reorderings). When they do not —
    /// a long recording such as ten writers', or writes torn at sectors — those first states would all be cuts in the
    /// first part of the log, and what that part holds depends on timing (how many of the neighbour's flushes land
    /// before the workload's first commit); so states are spread evenly over an enumeration of every prefix and ten
    /// times the target in reorderings instead, and the whole recording is covered.
    /// </summary>
    internal static IReadOnlyList<CrashState> Sample(WriteLog log, int target, int seed, int tearBytes = WritePiece.Size)
    {
        var pieces = log.Entries.Where(e => e.IsWrite).Sum(e => (e.Length + tearBytes - 1) / tearBytes);
        var states = CrashStateEnumerator.Enumerate(log, (int)pieces + (10 * target), seed, tearBytes);
        var first = states.Take(target).ToList();
        return first.Any(s => s.WindowEnd == log.Entries.Count) ? first : Spread(states, target);
    }

    /// <summary>
    /// With ATOMICFILES_POWERLOSS_KEEP=DIR set, the base image and the log of each run are copied there, so a state
    /// can be rebuilt and mounted by hand (base + the entries CrashState lists).
    /// </summary>
    private static void KeepForInvestigation(string dir, FileSystemKind fs)
    {
        if (Environment.GetEnvironmentVariable("ATOMICFILES_POWERLOSS_KEEP") is { Length: > 0 } keep)
        {
            var into = Path.Join(keep, Path.GetFileName(dir));
            Directory.CreateDirectory(into);
            foreach (var file in new[] { "base.img", "rec.log" }.Select(f => Path.Join(dir, f)).Where(File.Exists))
            {
                Command.Run("cp", "--sparse=always", file, Path.Join(into, Path.GetFileName(file)));
            }

            File.WriteAllText(Path.Join(into, "filesystem.txt"), $"{fs.Type} {fs.MountOptions}\n");
        }
    }

    /// <summary>The base image: mkfs, then each scenario's old state in its own directory. Not recorded.</summary>
    private static void MakeBase(FileSystemKind fs, IReadOnlyList<PowerLossScenario> scenarios, string image, string mountPoint)
    {
        using (var file = File.Create(image))
        {
            file.SetLength(fs.ImageBytes);
        }

        Command.Run(fs.MkfsProgram, [.. fs.MkfsArguments, image]);
        using var loop = LoopDevice.Attach(image, directIo: false);
        using var mount = Mount.Create(loop.Path, mountPoint, fs.Type, fs.MountOptions);
        for (var i = 0; i < scenarios.Count; i++)
        {
            var scenarioDir = Path.Join(mountPoint, WorkloadChild.ScenarioDirectory(i));
            Directory.CreateDirectory(scenarioDir);
            scenarios[i].Setup(scenarioDir);
        }
    }

    /// <summary>
    /// Runs the workload on a clone of the base under the recorder; returns the markers' log positions and the log (read
    /// once, for the check below and every crash state after it). Then checks the recording itself: the base plus every
    /// logged write must equal the disk the kernel wrote, or the states built from the log would not be states of this
    /// disk.
    /// </summary>
    private (IReadOnlyDictionary<string, int> Markers, WriteLog Log, byte[] LogBytes) Record(
        FileSystemKind fs, IReadOnlyList<PowerLossScenario> scenarios, string baseImage, string dir, TimeSpan backgroundFsyncInterval)
    {
        var disk = Path.Join(dir, "rec.img");
        Reflink.Clone(baseImage, disk);
        try
        {
            IReadOnlyDictionary<string, int> markers;
            using (var recorder = WriteRecorder.Start(disk, Path.Join(dir, "rec.log"), Path.Join(dir, "rec.export")))
            {
                // Buffered, not direct I/O: with O_DIRECT, qemu-storage-daemon 7.2's FUSE export corrupted the data of
                // concurrent large writes (on the disk and in the log alike). FUSE without writeback caching is
                // write-through, so each write still reaches the recorder at once, and each flush (vfs_fsync) after
                // the writes before it.
                using var loop = LoopDevice.Attach(recorder.ExportPath, directIo: false);
                using var mount = Mount.Create(loop.Path, Path.Join(dir, "rec"), fs.Type, fs.MountOptions);
                markers = WorkloadProcess.Run(launcher, mount.Target, scenarios, backgroundFsyncInterval, recorder.CountEntries);

                // Disposal order — unmount (its writes are recorded too), detach, stop the daemon — is the using order reversed.
            }

            var log = WriteLog.Read(Path.Join(dir, "rec.log"));
            var logBytes = File.ReadAllBytes(log.Path);
            var replay = Path.Join(dir, "replay.img");
            CrashImage.Build(baseImage, log, logBytes, log.Entries.Where(e => e.IsWrite), replay);
            try
            {
                if (CrashImage.FirstDifference(replay, disk) is { } offset)
                {
                    throw new InvalidOperationException(
                        $"The recording is not faithful: base + log differs from the recorded disk at byte {offset} ({fs.Name}).");
                }
            }
            finally
            {
                File.Delete(replay);
            }

            return (markers, log, logBytes);
        }
        finally
        {
            File.Delete(disk);
        }
    }

    private List<Violation> Check(
        FileSystemKind fs, IReadOnlyList<PowerLossScenario> scenarios, string baseImage, WriteLog log, byte[] logBytes,
        IReadOnlyList<CrashState> states, IReadOnlyDictionary<string, int> markers, string dir)
    {
        var checkpoints = new Checkpoints(baseImage, log, logBytes, dir);
        var queue = new ConcurrentQueue<CrashState>(states);
        var violations = new ConcurrentBag<Violation>();
        var prefixObservations = new ConcurrentBag<(int Scenario, int Prefix, string Label, IReadOnlyDictionary<string, string> Observed)>();
        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Factory.StartNew(() =>
        {
            var image = Path.Join(dir, $"w{worker}.img");
            var mountPoint = Path.Join(dir, $"w{worker}");
            while (queue.TryDequeue(out var state))
            {
                var checks = CheckState(fs, scenarios, checkpoints, log, logBytes, state, markers, image, mountPoint, violations);
                if (state.PrefixLength is { } prefix)
                {
                    for (var i = 0; i < checks.Count; i++)
                    {
                        prefixObservations.Add((i, prefix, state.ToString(), checks[i].Observed));
                    }
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(workers);

        foreach (var violation in MonotonicityViolations(fs, scenarios, prefixObservations))
        {
            violations.Add(violation);
        }

        return [.. violations.OrderBy(v => v.Scenario, StringComparer.Ordinal)];
    }

    /// <summary>Builds one crash image, mounts it, runs each scenario's Recover and Check; always unmounts and detaches.</summary>
    /// <param name="markerState">
    /// The state the markers are judged against, when <paramref name="state"/> is a state of a recording of recovery
    /// (nested): the outer crash state it was recorded on. Then each scenario is also recovered and checked a second
    /// time: recovery must be idempotent.
    /// </param>
    /// <param name="label">Names the state in violations; default: the state itself.</param>
    private static List<CrashCheck> CheckState(
        FileSystemKind fs, IReadOnlyList<PowerLossScenario> scenarios, Checkpoints checkpoints, WriteLog log, byte[] logBytes,
        CrashState state, IReadOnlyDictionary<string, int> markers, string image, string mountPoint, ConcurrentBag<Violation> violations,
        CrashState? markerState = null, string? label = null)
    {
        label ??= state.ToString();
        var checks = new List<CrashCheck>();
        try
        {
            checkpoints.Build(log, logBytes, state, image);
            using var loop = LoopDevice.Attach(image, directIo: false);
            Mount mount;
            try
            {
                mount = Mount.Create(loop.Path, mountPoint, fs.Type, fs.MountOptions);
            }
            catch (MountFailedException e)
            {
                violations.Add(new Violation(fs.Name, "(filesystem)", label, Invariant.Mounts, e.Message));
                return checks;
            }

            using (mount)
            {
                for (var i = 0; i < scenarios.Count * (markerState is null ? 1 : 2); i++)
                {
                    var scenario = scenarios[i % scenarios.Count];
                    var prefix = WorkloadChild.ScenarioDirectory(i % scenarios.Count) + "/";
                    var scenarioDir = Path.Join(mountPoint, WorkloadChild.ScenarioDirectory(i % scenarios.Count));
                    var check = new CrashCheck(markerState ?? state, markers.Where(m => m.Key.StartsWith(prefix, StringComparison.Ordinal))
                        .ToDictionary(m => m.Key[prefix.Length..], m => m.Value, StringComparer.Ordinal), scenarioDir);
                    try
                    {
                        scenario.Recover(scenarioDir);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
                    {
                        check.Fail(Invariant.NoLeftovers, $"Recover threw {e.GetType().Name}: {e.Message}");
                    }

                    try
                    {
                        scenario.Check(scenarioDir, check);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        check.Fail(Invariant.OldOrNew, $"reading the state threw {e.GetType().Name}: {e.Message}");
                    }

                    foreach (var (invariant, message) in check.Violations)
                    {
                        violations.Add(new Violation(fs.Name, scenario.Name, label + (i >= scenarios.Count ? " (recovered twice)" : ""), invariant, message));
                    }

                    checks.Add(check);
                }
            }

            return checks;
        }
        finally
        {
            File.Delete(image);
        }
    }

    /// <summary>Invariant 4 over the pure prefixes in log order: a target that showed "new" must never show "old" again.</summary>
    internal static IEnumerable<Violation> MonotonicityViolations(
        FileSystemKind fs, IReadOnlyList<PowerLossScenario> scenarios,
        IEnumerable<(int Scenario, int Prefix, string Label, IReadOnlyDictionary<string, string> Observed)> observations)
    {
        foreach (var byScenario in observations.GroupBy(o => o.Scenario))
        {
            var newSince = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (_, _, label, observed) in byScenario.OrderBy(o => o.Prefix))
            {
                foreach (var (target, version) in observed)
                {
                    if (version == "new")
                    {
                        newSince.TryAdd(target, label);
                    }
                    else if (version == "old" && newSince.TryGetValue(target, out var since))
                    {
                        yield return new Violation(fs.Name, scenarios[byScenario.Key].Name, label, Invariant.Monotonic,
                            $"{target} is old again after it was new at {since}");
                    }
                }
            }
        }
    }
}
