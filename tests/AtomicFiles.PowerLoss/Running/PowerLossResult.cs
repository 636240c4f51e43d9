using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.PowerLoss.Running;

/// <summary>What one recorded run on one filesystem found: how many states, which violations, how long it took.</summary>
public sealed record PowerLossResult(
    FileSystemKind FileSystem,
    IReadOnlyList<string> Scenarios,
    int LogEntries,
    int Flushes,
    int States,
    IReadOnlyList<Violation> Violations,
    TimeSpan RecordTime,
    TimeSpan CheckTime)
{
    /// <summary>For a run that cut recovery (<see cref="PowerLossSimulator.RunNested"/>): how many recoveries were recorded.</summary>
    public int Recordings { get; init; }

    /// <summary>Of <see cref="States"/>, those cut during a recovery of a state that was itself cut during recovery (nested runs with two cuts).</summary>
    public int SecondCutStates { get; init; }

    /// <summary>The log entry the latest checked state reaches (its window's end): how much of the recording the states cover.</summary>
    public int Reach { get; init; }

    /// <summary>The log position of the workload's first promise (marker); null if it made none.</summary>
    public int? FirstPromise { get; init; }

    public IReadOnlyList<Violation> ViolationsOf(string scenario) => Violations.Where(v => v.Scenario == scenario).ToList();

    /// <summary>The invariants <paramref name="scenario"/> broke, with how many states broke each ("2 OldOrNew ×13").</summary>
    public string InvariantsBroken(string scenario) =>
        string.Join(", ", ViolationsOf(scenario).GroupBy(v => v.Invariant).OrderBy(g => g.Key)
            .Select(g => $"{(int)g.Key} {g.Key} ×{g.Select(v => v.State).Distinct().Count()}"));

    /// <summary>Markdown rows (filesystem, scenario, states, violations, invariants broken, an example).</summary>
    public IEnumerable<string> TableRows() =>
        Scenarios.Select(s =>
        {
            var violations = ViolationsOf(s);
            var example = string.Join("; ", violations.GroupBy(v => v.Invariant).OrderBy(g => g.Key)
                .Select(g => $"{(int)g.Key}: {g.First().Message} ({Shorten(g.First().State)})"));
            return $"| {FileSystem.Name} | {s} | {States} | {violations.Select(x => x.State).Distinct().Count()} | {InvariantsBroken(s)} | {example} |";
        });

    private static string Shorten(string state) => state.Length <= 60 ? state : state[..57] + "...";

    public const string TableHeader = "| filesystem | scenario | crash states | states violating | invariants broken (states) | example per invariant |\n|---|---|---|---|---|---|";

    public string Summary =>
        $"{FileSystem.Name}: {(Recordings > 0 ? $"{Recordings} recoveries recorded, " : "")}{LogEntries} log entries ({Flushes} flushes), {States} crash states{(SecondCutStates > 0 ? $" ({SecondCutStates} in a second recovery)" : "")}, {Violations.Count} violations; " +
        (Reach > 0 ? $"states reach entry {Reach}{(FirstPromise is { } first ? $", first promise at {first}" : "")}; " : "") +
        $"record {RecordTime.TotalSeconds:F1} s, check {CheckTime.TotalSeconds:F1} s ({CheckTime.TotalMilliseconds / Math.Max(1, States):F0} ms/state wall)";
}
