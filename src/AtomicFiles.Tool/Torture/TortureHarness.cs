using System.Diagnostics;

namespace AtomicFiles.Tool.Torture;

/// <summary>
/// The kill -9 torture: keeps <see cref="TortureSettings.Writers"/> file writer and
/// <see cref="TortureSettings.TransactionWriters"/> transaction writer processes committing, kills each at a random
/// moment, verifies every file after every kill (the transaction set after a Recover, when a transaction writer was
/// killed), restarts the writer; at the end
/// kills the rest, runs <see cref="AtomicFile.Recover"/> and counts the temp files left.
/// </summary>
internal sealed class TortureHarness
{
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromMilliseconds(500);
    private static readonly EnumerationOptions s_allEntries = new() { AttributesToSkip = 0, RecurseSubdirectories = true };

    private readonly TortureSettings _settings;
    private readonly TortureVerifier _verifier;
    private readonly TransactionSetVerifier _transactionVerifier;
    private readonly long[] _commits = new long[Enum.GetValues<CommitMethod>().Length];
    private readonly List<TortureViolation> _samples = [];
    private long _violationCount;
    private long _transactionViolationCount;
    private int _writerStartsRetried;

    internal TortureHarness(TortureSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Writers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.TransactionWriters);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.FileSize, TortureContent.MinimumSize);
        if (!Directory.Exists(settings.Directory))
        {
            throw new DirectoryNotFoundException($"The torture directory '{settings.Directory}' does not exist.");
        }

        TortureLock.ThrowIfUnavailable();
        _settings = settings;
        _verifier = new TortureVerifier(settings.Directory);
        _transactionVerifier = new TransactionSetVerifier(settings.Directory);
    }

    /// <summary>Runs until the duration or the kill budget is spent, or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="progress">Called about twice a second on this thread; may be null.</param>
    internal TortureResult Run(Action<TortureProgress>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var writers = new WriterProcess[_settings.Writers + _settings.TransactionWriters];
        long kills = 0, transactionKills = 0, verifications = 0;
        var nextProgress = s_progressInterval;
        try
        {
            foreach (var directory in TortureFiles.TransactionDirectories)
            {
                Directory.CreateDirectory(Path.Join(_settings.Directory, directory));
            }

            for (var slot = 0; slot < writers.Length; slot++)
            {
                writers[slot] = StartWriter(slot, RoleOf(slot));
            }

            while (!cancellationToken.IsCancellationRequested && started.Elapsed < _settings.Duration && kills < (_settings.MaxKills ?? long.MaxValue))
            {
                if (started.Elapsed >= nextProgress)
                {
                    progress?.Invoke(Snapshot(started.Elapsed, kills, transactionKills));
                    nextProgress = started.Elapsed + s_progressInterval;
                }

                var now = Environment.TickCount64;
                var victim = Array.Find(writers, w => w.HasExited || w.KillAt <= now);
                if (victim is null)
                {
                    Thread.Sleep(1);
                    continue;
                }

                var role = RoleOf(victim.Slot);
                if (victim.HasExited)
                {
                    AddViolations([new($"writer {victim.Slot}", victim.DescribeExit())], role);
                }
                else
                {
                    victim.Kill();
                    kills++;
                    transactionKills += role == TortureWriterRole.Transactions ? 1 : 0;
                }

                victim.Dispose();
                Verify(role);
                verifications++;
                writers[victim.Slot] = StartWriter(victim.Slot, role);
            }
        }
        finally
        {
            foreach (var writer in writers)
            {
                writer?.Dispose();
            }
        }

        // Every writer is dead now: what is on disk is what a crash leaves. (The transaction set's check runs Recover
        // in its own directories, as after every kill; the final Recover below is for the single files' directory.)
        Verify(TortureWriterRole.Transactions);
        verifications++;
        var tempsBefore = CountTemps();
        var report = AtomicFile.Recover(_settings.Directory);
        var tempsLeft = CountTemps();

        return new TortureResult
        {
            Settings = _settings,
            Elapsed = started.Elapsed,
            Kills = kills,
            TransactionKills = transactionKills,
            Commits = Enum.GetValues<CommitMethod>().ToDictionary(m => m, m => Interlocked.Read(ref _commits[(int)m])),
            Verifications = verifications,
            FilesVerified = _verifier.FilesVerified + _transactionVerifier.FilesVerified,
            ViolationCount = Interlocked.Read(ref _violationCount),
            TransactionViolationCount = Interlocked.Read(ref _transactionViolationCount),
            TransactionChecks = _transactionVerifier.Checks,
            TransactionsCompletedByRecover = _transactionVerifier.TransactionsCompleted,
            TransactionsRolledBackByRecover = _transactionVerifier.TransactionsRolledBack,
            SampleViolations = Samples(),
            TempsBeforeRecover = tempsBefore,
            TempsRemoved = report.RemovedTempFiles.Count,
            TempsLeft = tempsLeft,
            WriterStartsRetried = _writerStartsRetried,
        };
    }

    private WriterProcess StartWriter(int slot, TortureWriterRole role) =>
        WriterStartRetry.Run(() => WriterProcess.Start(_settings, slot, role, OnMessage), () => _writerStartsRetried++);

    private void OnMessage(WriterProcess writer, WriterMessage message)
    {
        switch (message)
        {
            case WriterMessage.Ready:
#pragma warning disable CA5394 // Not security: a random moment to kill.
                writer.KillAt = Environment.TickCount64 + Random.Shared.Next((int)_settings.MaxWriterLifetime.TotalMilliseconds + 1);
#pragma warning restore CA5394
                break;
            case WriterMessage.Committed { Method: CommitMethod.Transaction } commit:
                Interlocked.Increment(ref _commits[(int)commit.Method]);
                _transactionVerifier.OnCommitted(commit.Version);
                break;
            case WriterMessage.Committed commit:
                Interlocked.Increment(ref _commits[(int)commit.Method]);
                _verifier.OnCommitted(writer.Slot, commit);
                break;
            case WriterMessage.Corrupt corrupt:
                AddViolations([new(corrupt.FileName, $"writer {writer.Slot} read it and found {corrupt.Problem}")], RoleOf(writer.Slot));
                break;
        }
    }

    /// <summary>
    /// Checks the single files; after the kill of a transaction writer also recovers and checks the transaction set.
    /// Only then: other kills leave the set as it was, and the check waits for the transaction in flight — after every
    /// kill, that wait cost a third of the kill rate.
    /// </summary>
    private void Verify(TortureWriterRole killed)
    {
        AddViolations(_verifier.Verify(), TortureWriterRole.Files);
        if (killed == TortureWriterRole.Transactions && _settings.TransactionWriters > 0)
        {
            AddViolations(_transactionVerifier.Verify(), TortureWriterRole.Transactions);
        }
    }

    /// <summary>The first <see cref="TortureSettings.Writers"/> slots write single files, the rest transactions.</summary>
    private TortureWriterRole RoleOf(int slot) => slot < _settings.Writers ? TortureWriterRole.Files : TortureWriterRole.Transactions;

    private void AddViolations(List<TortureViolation> violations, TortureWriterRole part)
    {
        if (violations.Count == 0)
        {
            return;
        }

        Interlocked.Add(ref _violationCount, violations.Count);
        if (part == TortureWriterRole.Transactions)
        {
            Interlocked.Add(ref _transactionViolationCount, violations.Count);
        }

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

    private TortureProgress Snapshot(TimeSpan elapsed, long kills, long transactionKills) =>
        new(elapsed, kills, transactionKills, _commits.Sum(), _verifier.FilesVerified + _transactionVerifier.FilesVerified, Interlocked.Read(ref _violationCount),
            Interlocked.Read(ref _transactionViolationCount));

    private int CountTemps() =>
        Directory.EnumerateFiles(_settings.Directory, "*", s_allEntries).Count(path => AtomicFile.IsTempFileName(path));
}
