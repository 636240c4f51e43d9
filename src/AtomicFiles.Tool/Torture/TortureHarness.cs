using System.Diagnostics;
using AtomicFiles.Platform;

namespace AtomicFiles.Tool.Torture;

/// <summary>
/// The kill -9 torture: keeps <see cref="TortureSettings.Writers"/> writer processes committing, kills a random one at
/// a random moment, verifies every file after every kill, restarts the writer; at the end kills the rest, runs
/// <see cref="AtomicFile.Recover"/> and counts the temp files left.
/// </summary>
internal sealed class TortureHarness
{
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromMilliseconds(500);
    private static readonly EnumerationOptions s_allEntries = new() { AttributesToSkip = 0 };

    private readonly TortureSettings _settings;
    private readonly TortureVerifier _verifier;
    private readonly long[] _commits = new long[Enum.GetValues<CommitMethod>().Length];
    private readonly List<TortureViolation> _samples = [];
    private long _violationCount;

    internal TortureHarness(TortureSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Writers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.FileSize, TortureContent.MinimumSize);
        if (!Directory.Exists(settings.Directory))
        {
            throw new DirectoryNotFoundException($"The torture directory '{settings.Directory}' does not exist.");
        }

        _settings = settings;
        _verifier = new TortureVerifier(settings.Directory);
    }

    /// <summary>Runs until the duration or the kill budget is spent, or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="progress">Called about twice a second on this thread; may be null.</param>
    internal TortureResult Run(Action<TortureProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var writers = new WriterProcess[_settings.Writers];
        long kills = 0, verifications = 0;
        var nextProgress = s_progressInterval;
        try
        {
            for (var slot = 0; slot < writers.Length; slot++)
            {
                writers[slot] = WriterProcess.Start(_settings, slot, OnMessage);
            }

            while (!cancellationToken.IsCancellationRequested && started.Elapsed < _settings.Duration && kills < (_settings.MaxKills ?? long.MaxValue))
            {
                if (started.Elapsed >= nextProgress)
                {
                    progress?.Invoke(Snapshot(started.Elapsed, kills));
                    nextProgress = started.Elapsed + s_progressInterval;
                }

                var now = Environment.TickCount64;
                var victim = Array.Find(writers, w => w.HasExited || w.KillAt <= now);
                if (victim is null)
                {
                    Thread.Sleep(1);
                    continue;
                }

                if (victim.HasExited)
                {
                    AddViolations([new($"writer {victim.Slot}", victim.DescribeExit())]);
                }
                else
                {
                    victim.Kill();
                    kills++;
                }

                victim.Dispose();
                AddViolations(_verifier.Verify());
                verifications++;
                writers[victim.Slot] = WriterProcess.Start(_settings, victim.Slot, OnMessage);
            }
        }
        finally
        {
            foreach (var writer in writers)
            {
                writer?.Dispose();
            }
        }

        // Every writer is dead now: what is on disk is what a crash leaves.
        AddViolations(_verifier.Verify());
        verifications++;
        var tempsBefore = CountTemps();
        var report = AtomicFile.Recover(_settings.Directory);
        var tempsLeft = CountTemps();

        return new TortureResult
        {
            Settings = _settings,
            Elapsed = started.Elapsed,
            Kills = kills,
            Commits = Enum.GetValues<CommitMethod>().ToDictionary(m => m, m => Interlocked.Read(ref _commits[(int)m])),
            Verifications = verifications,
            FilesVerified = _verifier.FilesVerified,
            ViolationCount = Interlocked.Read(ref _violationCount),
            SampleViolations = Samples(),
            TempsBeforeRecover = tempsBefore,
            TempsRemoved = report.RemovedTempFiles.Count,
            TempsLeft = tempsLeft,
        };
    }

    private void OnMessage(WriterProcess writer, WriterMessage message)
    {
        switch (message)
        {
            case WriterMessage.Ready:
#pragma warning disable CA5394 // Not security: a random moment to kill.
                writer.KillAt = Environment.TickCount64 + Random.Shared.Next((int)_settings.MaxWriterLifetime.TotalMilliseconds + 1);
#pragma warning restore CA5394
                break;
            case WriterMessage.Committed commit:
                Interlocked.Increment(ref _commits[(int)commit.Method]);
                _verifier.OnCommitted(writer.Slot, commit);
                break;
            case WriterMessage.Corrupt corrupt:
                AddViolations([new(corrupt.FileName, $"writer {writer.Slot} read it and found {corrupt.Problem}")]);
                break;
        }
    }

    private void AddViolations(List<TortureViolation> violations)
    {
        if (violations.Count == 0)
        {
            return;
        }

        Interlocked.Add(ref _violationCount, violations.Count);
        lock (_samples)
        {
            _samples.AddRange(violations.Take(TortureResult.MaxSamples - _samples.Count));
        }
    }

    private TortureViolation[] Samples()
    {
        lock (_samples)
        {
            return [.. _samples];
        }
    }

    private TortureProgress Snapshot(TimeSpan elapsed, long kills) =>
        new(elapsed, kills, _commits.Sum(), _verifier.FilesVerified, Interlocked.Read(ref _violationCount));

    private int CountTemps() =>
        Directory.EnumerateFiles(_settings.Directory, "*", s_allEntries).Count(path => TempFileName.IsTempFileName(Path.GetFileName(path.AsSpan())));
}
