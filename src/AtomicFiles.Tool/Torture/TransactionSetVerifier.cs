using System.Globalization;

namespace AtomicFiles.Tool.Torture;

/// <summary>
/// Checks the transaction set after the kill of a transaction writer: runs <see cref="AtomicFile.Recover"/> in each of its directories (which
/// finishes or rolls back a transaction the kill interrupted), then requires all five files to be complete and to carry
/// one version, never behind a transaction commit reported as returned, nor behind a version seen before.
/// </summary>
/// <remarks>
/// The check runs between two transactions (<see cref="TransactionSetLock"/>): a reader that does not wait for the
/// writers may see a live transaction's renames half done, which the all-or-nothing promise does not cover.
/// </remarks>
internal sealed class TransactionSetVerifier
{
    // A transaction takes well under a second even on a contended disk; a writer holding the set this long hangs.
    private static readonly TimeSpan s_maxWait = TimeSpan.FromMinutes(1);

    private readonly string _directory;
    private long _reported;
    private long _observed;

    internal TransactionSetVerifier(string directory)
    {
        _directory = directory;
    }

    /// <summary>Checks done: one after every kill of a transaction writer, and a final one.</summary>
    internal long Checks { get; private set; }

    internal long FilesVerified { get; private set; }

    /// <summary>Interrupted transactions Recover completed (they had passed their commit point).</summary>
    internal long TransactionsCompleted { get; private set; }

    /// <summary>Interrupted transactions Recover rolled back.</summary>
    internal long TransactionsRolledBack { get; private set; }

    /// <summary>Records a transaction a writer reported as returned: from now on no file of the set may be older.</summary>
    internal void OnCommitted(long version)
    {
        // Reports arrive on the writers' output threads while Verify runs on the harness thread.
        long seen;
        while ((seen = Interlocked.Read(ref _reported)) < version && Interlocked.CompareExchange(ref _reported, version, seen) != seen)
        {
        }
    }

    /// <summary>Waits for the transaction in flight, recovers, and checks the set.</summary>
    internal List<TortureViolation> Verify()
    {
        var violations = new List<TortureViolation>();
        var versions = new List<long?>(TortureFiles.TransactionSet.Count);
        TortureLock turnstile, writers;
        try
        {
            (turnstile, writers) = TransactionSetLock.ForVerifier(_directory, s_maxWait);
        }
        catch (TimeoutException e)
        {
            violations.Add(new(TortureFiles.TransactionSetName, "a transaction writer hangs: " + e.Message));
            return violations;
        }

        using (turnstile)
        using (writers)
        {
            // Read the expectation before the files: whatever was reported by now is on disk.
            var reported = Interlocked.Read(ref _reported);
            Recover();
            foreach (var file in TortureFiles.TransactionSet)
            {
                if (!TortureFileReader.TryReadVersion(Path.Join(_directory, file), file, violations, out var version))
                {
                    if (reported > 0)
                    {
                        violations.Add(new(file, F($"missing, though transaction version {reported} was committed")));
                    }
                }
                else
                {
                    FilesVerified++;
                }

                versions.Add(version);
            }

            Checks++;
            CheckOneVersion(versions, reported, violations);
        }

        return violations;
    }

    /// <summary>The versions of the set's files, as a report shows them ("-" for a file absent or not complete).</summary>
    internal static string Describe(IEnumerable<long?> versions) =>
        string.Join(", ", versions.Select(v => v?.ToString(CultureInfo.InvariantCulture) ?? "-"));

    private void Recover()
    {
        foreach (var directory in TortureFiles.TransactionDirectories)
        {
            var report = AtomicFile.Recover(Path.Join(_directory, directory));
            TransactionsCompleted += report.CompletedTransactions.Count;
            TransactionsRolledBack += report.RolledBackTransactions.Count;
        }
    }

    private void CheckOneVersion(List<long?> versions, long reported, List<TortureViolation> violations)
    {
        if (versions.Distinct().Count() > 1)
        {
            // Absent everywhere is fine before the first commit; anything else mixed is a torn transaction.
            violations.Add(new(TortureFiles.TransactionSetName, "holds several versions after Recover: " + Describe(versions)));
            return;
        }

        if (versions[0] is not { } version)
        {
            return;
        }

        if (version < reported)
        {
            violations.Add(new(TortureFiles.TransactionSetName, F($"holds version {version}, but version {reported} was committed")));

            // Counted once; judge later checks against what is really there.
            Interlocked.CompareExchange(ref _reported, version, reported);
        }
        else if (version < _observed)
        {
            violations.Add(new(TortureFiles.TransactionSetName, F($"went back from version {_observed} to {version}")));
        }

        _observed = version;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
