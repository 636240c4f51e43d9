namespace AtomicFiles.Transactions;

/// <summary>One step a committed transaction applies, with paths relative to the transaction root.</summary>
/// <param name="Target">The file replaced (or created) or deleted.</param>
/// <param name="Temp">For a replace, the staged temp renamed onto <paramref name="Target"/>; <see langword="null"/> for a delete.</param>
internal sealed record JournalOperation(string Target, string? Temp)
{
    internal bool IsDelete => Temp is null;

    /// <summary>For a replace in a version 2 journal, the staged content's <see cref="Transactions.ContentHash"/>; <see langword="null"/> in version 1.</summary>
    internal string? ContentHash { get; init; }
}
