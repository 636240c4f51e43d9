namespace AtomicFiles.Tests.Support;

/// <summary>
/// The checkout the tests were built from, found by walking up from the test binaries. Not [CallerFilePath]: CI
/// builds are deterministic and map source paths to /_/.
/// </summary>
internal static class RepositoryRoot
{
    internal static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Join(dir.FullName, "AtomicFiles.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("The repository root (AtomicFiles.sln) was not found above the test binaries.");
    }
}
