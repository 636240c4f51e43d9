using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Security;

/// <summary>
/// A test that plays another local user against the library: throwaway users and shared scratch directories (sticky,
/// group-shared), removed when the test ends, whatever happened.
/// </summary>
public abstract class HostileUsersTest : IDisposable
{
    internal LocalUsers Users { get; } = new();

    internal SharedScratch Scratch { get; } = new();

    public void Dispose()
    {
        Scratch.Dispose();
        Users.Dispose();
        GC.SuppressFinalize(this);
    }
}
