using System.Security.Cryptography;
using System.Text;
using AtomicFiles.Transactions;

namespace AtomicFiles.Tests.Recovery;

/// <summary>Journals written by hand, as a crashed transaction or an attacker would leave them.</summary>
internal static class JournalFixtures
{
    /// <summary>A complete journal with a valid seal over <paramref name="operationLines"/> (each ending in a newline).</summary>
    internal static byte[] Sealed(string operationLines)
    {
        var body = Encoding.UTF8.GetString(JournalFormat.Header) + operationLines;
        return Encoding.UTF8.GetBytes($"{body}commit {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}\n");
    }

    internal static string JournalIn(string directory) => Path.Join(directory, TransactionRoot.JournalFileName);

    internal static string LockIn(string directory) => Path.Join(directory, TransactionRoot.LockFileName);
}
