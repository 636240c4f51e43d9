using AtomicFiles.PowerLoss.States;

namespace AtomicFiles.PowerLoss.Scenarios;

/// <summary>
/// What <see cref="PowerLossScenario.Check"/> sees of one crash state (which markers it lies after) and where it
/// reports: violations, and each target's observed version ("old", "new", ...) for the monotonicity check.
/// </summary>
public sealed class CrashCheck
{
    private readonly IReadOnlyDictionary<string, int> _markers;
    private readonly List<(Invariant Invariant, string Message)> _violations = [];
    private readonly Dictionary<string, string> _observed = new(StringComparer.Ordinal);
    private readonly string _directory;

    internal CrashCheck(CrashState state, IReadOnlyDictionary<string, int> markers, string directory)
    {
        State = state;
        _markers = markers;
        _directory = directory;
    }

    public CrashState State { get; }

    internal IReadOnlyList<(Invariant Invariant, string Message)> Violations => _violations;

    internal IReadOnlyDictionary<string, string> Observed => _observed;

    /// <summary>Whether the cut may have happened after the workload passed <paramref name="marker"/> (false if it never did).</summary>
    public bool IsAfter(string marker) => _markers.TryGetValue(marker, out var count) && State.IsAfter(count);

    public void Fail(Invariant invariant, string message) => _violations.Add((invariant, message));

    /// <summary>Records what <paramref name="target"/> held; "old" then "new" then "old" across prefixes breaks invariant 4.</summary>
    public void Observe(string target, string version) => _observed[Path.GetRelativePath(_directory, target)] = version;
}
