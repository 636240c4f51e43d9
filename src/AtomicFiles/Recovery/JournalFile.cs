namespace AtomicFiles.Recovery;

/// <summary>What was found at a journal's path, and whether recovery may act on it.</summary>
/// <param name="Path">The journal's path.</param>
/// <param name="Trust">Absent, trusted, or there but untrusted.</param>
/// <param name="Bytes">
/// The content, whenever it could be read safely (a regular file within the size cap), trusted or not: an untrusted
/// journal's content is never acted on, but tells the orphan sweep which temps it names.
/// </param>
/// <param name="UntrustedBecause">Why it is untrusted, phrased to follow "the journal …"; <see langword="null"/> unless untrusted.</param>
internal sealed record JournalFile(string Path, JournalTrust Trust, byte[]? Bytes, string? UntrustedBecause);

/// <summary>Whether a journal was there and whether this user could have written it.</summary>
internal enum JournalTrust
{
    Absent,
    Trusted,
    Untrusted,
}
