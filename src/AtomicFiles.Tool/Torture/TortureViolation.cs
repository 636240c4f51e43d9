namespace AtomicFiles.Tool.Torture;

/// <summary>A broken promise the harness found: a file not complete, not valid, or behind a returned commit; or a writer that failed.</summary>
/// <param name="Subject">The file (or writer) concerned.</param>
/// <param name="Problem">What was wrong.</param>
internal sealed record TortureViolation(string Subject, string Problem)
{
    public override string ToString() => $"{Subject}: {Problem}";
}
