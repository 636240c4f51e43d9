namespace AtomicFiles.CrashTests.PowerLoss.Scenarios;

/// <summary>Deterministic, distinguishable content: the child and the checker compute the same bytes from the same seed.</summary>
internal static class TestContent
{
    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
