using System.Globalization;

namespace AtomicFiles.Tool.Torture;

/// <summary>
/// Checks the files of a torture run against what the writers reported: every file present is a complete, valid
/// version, and no file is behind a commit reported as returned, nor behind a version seen earlier.
/// </summary>
/// <remarks>Reports arrive on the writers' output threads while <see cref="Verify"/> runs on the harness thread.</remarks>
internal sealed class TortureVerifier
{
    // A chain whose newest links were removed this many names back means something is missing, not still racing.
    private const int MaxChainProbe = 1000;

    private readonly string _directory;
    private readonly object _gate = new();
    private readonly Dictionary<string, long> _reportedShared = [];
    private readonly Dictionary<int, long> _reportedCreated = [];
    private readonly Dictionary<string, long> _observedShared = [];

    internal TortureVerifier(string directory)
    {
        _directory = directory;
    }

    internal long FilesVerified { get; private set; }

    /// <summary>Records a commit a writer reported as returned: from now on its file must never be older.</summary>
    internal void OnCommitted(int slot, WriterMessage.Committed commit)
    {
        lock (_gate)
        {
            if (commit.Method == CommitMethod.CreateNew)
            {
                _reportedCreated[slot] = Math.Max(_reportedCreated.GetValueOrDefault(slot), commit.Version);
            }
            else
            {
                _reportedShared[commit.FileName] = Math.Max(_reportedShared.GetValueOrDefault(commit.FileName), commit.Version);
            }
        }
    }

    /// <summary>Checks every file now. Writers may keep committing meanwhile: versions only rise, so that is fair.</summary>
    internal List<TortureViolation> Verify()
    {
        // The expectations first, the files after: whatever was reported before the snapshot is on disk by then.
        Dictionary<string, long> reportedShared;
        Dictionary<int, long> reportedCreated;
        lock (_gate)
        {
            reportedShared = new(_reportedShared);
            reportedCreated = new(_reportedCreated);
        }

        var violations = new List<TortureViolation>();
        foreach (var fileName in TortureFiles.AllShared)
        {
            VerifyShared(fileName, reportedShared.GetValueOrDefault(fileName), violations);
        }

        foreach (var (slot, sequence) in reportedCreated)
        {
            VerifyCreatedChain(slot, sequence, violations);
        }

        return violations;
    }

    private void VerifyShared(string fileName, long reported, List<TortureViolation> violations)
    {
        if (!TryReadVersion(fileName, violations, out var read))
        {
            if (reported > 0)
            {
                violations.Add(new(fileName, $"missing, though version {reported} was committed"));
            }

            return;
        }

        if (read is not { } version)
        {
            return;
        }

        var observed = _observedShared.GetValueOrDefault(fileName);
        if (version < reported)
        {
            violations.Add(new(fileName, $"holds version {version}, but version {reported} was committed"));
            Rebase(fileName, reported, version);
        }
        else if (version < observed)
        {
            violations.Add(new(fileName, $"went back from version {observed} to {version}"));
        }

        _observedShared[fileName] = version;
    }

    /// <summary>
    /// A slot's CreateNew chain: the reported name, or — since the writer removes a name only after creating the
    /// next — a later one, must exist and hold its own sequence number as a complete version.
    /// </summary>
    private void VerifyCreatedChain(int slot, long reported, List<TortureViolation> violations)
    {
        for (var sequence = reported; sequence < reported + MaxChainProbe; sequence++)
        {
            var fileName = TortureFiles.Created(slot, sequence);
            if (!TryReadVersion(fileName, violations, out var version))
            {
                continue;
            }

            if (version is { } v && v != sequence)
            {
                violations.Add(new(fileName, string.Create(CultureInfo.InvariantCulture, $"holds version {v} instead of {sequence}")));
            }

            return;
        }

        violations.Add(new(TortureFiles.Created(slot, reported), "missing, though CreateNew committed it and no later file replaced it"));
        lock (_gate)
        {
            _reportedCreated.Remove(slot);
        }
    }

    /// <summary>After a regression is counted once, judge later reads against what is really there.</summary>
    private void Rebase(string fileName, long reported, long version)
    {
        lock (_gate)
        {
            if (_reportedShared.GetValueOrDefault(fileName) == reported)
            {
                _reportedShared[fileName] = version;
            }
        }
    }

    private bool TryReadVersion(string fileName, List<TortureViolation> violations, out long? version)
    {
        var exists = TortureFileReader.TryReadVersion(Path.Join(_directory, fileName), fileName, violations, out version);
        if (exists)
        {
            FilesVerified++;
        }

        return exists;
    }
}
