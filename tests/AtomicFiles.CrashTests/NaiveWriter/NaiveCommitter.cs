using AtomicFiles.Tool.Torture;

namespace AtomicFiles.CrashTests.NaiveWriter;

/// <summary>
/// The control: what code without AtomicFiles typically does — write the file in place (open, truncate, write); and for
/// a set of files that belong together, replace each atomically but one after another, with no journal. The torture
/// harness must catch both, or its zeros for the library would prove nothing.
/// </summary>
internal sealed class NaiveCommitter : ITortureCommitter
{
    private const int ChunkSize = 4096;

    public void Replace(string path, byte[] content, CommitMethod method)
    {
        if (method == CommitMethod.WriteAllBytes)
        {
            File.WriteAllBytes(path, content);
            return;
        }

        // As a streaming serializer writes into File.Create.
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
        for (var offset = 0; offset < content.Length; offset += ChunkSize)
        {
            stream.Write(content, offset, Math.Min(ChunkSize, content.Length - offset));
        }
    }

    public void CreateNew(string path, byte[] content)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 1);
        stream.Write(content);
    }

    public void Update(string path, Func<byte[]?, byte[]> transform) =>
        File.WriteAllBytes(path, transform(File.Exists(path) ? File.ReadAllBytes(path) : null));

    // Each file crash-safe on its own, the set not: a kill between two files leaves them at different versions.
    public void CommitTransaction(string root, IReadOnlyList<string> paths, Func<IReadOnlyList<byte[]?>, byte[]> next)
    {
        var content = next([.. paths.Select(path => File.Exists(path) ? File.ReadAllBytes(path) : null)]);
        foreach (var path in paths)
        {
            AtomicFile.WriteAllBytes(path, content);
        }
    }
}
