using System.Security.Cryptography;
using System.Text;
using AtomicFiles.Transactions;

namespace AtomicFiles.Tests.Recovery;

/// <summary>Journals written by hand, as a crashed transaction or an attacker would leave them.</summary>
internal static class JournalFixtures
{
    /// <summary>
    /// A complete journal with a valid seal over <paramref name="operationLines"/> (each ending in a newline), with the
    /// header of format <paramref name="version"/>: 1 takes <c>replace temp target</c>, 2 <c>replace temp target hash</c>.
    /// </summary>
    internal static byte[] Sealed(string operationLines, int version = 1)
    {
        var body = Encoding.UTF8.GetString(version == 1 ? JournalFormat.HeaderV1 : JournalFormat.Header) + operationLines;
        return Encoding.UTF8.GetBytes($"{body}commit {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}\n");
    }

    internal static string JournalIn(string directory) => Path.Join(directory, TransactionRoot.JournalFileName);

    internal static string LockIn(string directory) => Path.Join(directory, TransactionRoot.LockFileName);
}
