namespace AtomicFiles.Testing;

/// <summary>
/// The command line that starts a .NET program built next to the test assembly: `dotnet NAME.dll` on Unix, as the
/// tests have always run it, and the program's own NAME.exe on Windows, where the suite also runs as a self-contained
/// program (under Wine in .ci/run) that has no dotnet host to hand a dll to.
/// </summary>
public static class ManagedProgram
{
    /// <summary>The program to start and its first arguments, for <paramref name="dll"/>.</summary>
    public static (string FileName, string[] Arguments) Command(string dll)
    {
        if (OperatingSystem.IsWindows())
        {
            var exe = Path.ChangeExtension(dll, ".exe");
            if (File.Exists(exe))
            {
                return (exe, []);
            }
        }

        return (ToolProcess.DotnetHost, [dll]);
    }
}
