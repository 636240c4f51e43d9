namespace AtomicFiles.Testing;

/// <summary>A fresh directory for one test, removed with everything in it when the test ends.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("atomicfiles-test-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Join(Path, name);

    /// <summary>Everything in the directory, including hidden temp files, as names.</summary>
    public string[] Entries() => Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).ToArray()!;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A test that left a mount or an open handle behind reports its own failure; don't mask it here.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
