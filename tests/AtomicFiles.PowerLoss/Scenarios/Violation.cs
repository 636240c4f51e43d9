namespace AtomicFiles.PowerLoss.Scenarios;

/// <summary>An invariant broken in one crash state.</summary>
public sealed record Violation(string FileSystem, string Scenario, string State, Invariant Invariant, string Message)
{
    public override string ToString() => $"[{FileSystem}] {Scenario} {State}: {(int)Invariant} {Invariant}: {Message}";
}
