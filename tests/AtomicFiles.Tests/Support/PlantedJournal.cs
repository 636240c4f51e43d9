using System.Security.Cryptography;
using AtomicFiles.Transactions;

namespace AtomicFiles.Tests.Support;

/// <summary>
/// A transaction journal built with the library's own format, validly sealed: the bytes an attacker can write as
/// well as the library can. Tests place it where an attacker could, and must show (with a control) that the same
/// bytes placed by the caller in its own root are applied, so a refusal is the library's judgement, not a bad seal.
/// </summary>
internal static class PlantedJournal
{
    /// <summary>A sealed journal that deletes <paramref name="targets"/> (paths relative to its root, '/'-separated).</summary>
    internal static byte[] Deleting(params string[] targets)
    {
        using var content = new MemoryStream();
        content.Write(JournalFormat.Header);
        foreach (var target in targets)
        {
            content.Write(JournalFormat.DeleteLine(target));
        }

        content.Write(JournalFormat.CommitLine(SHA256.HashData(content.ToArray())));
        return content.ToArray();
    }

    /// <summary>The journal's name in a transaction root.</summary>
    internal static string PathIn(string root) => Path.Join(root, TransactionRoot.JournalFileName);
}
