using AtomicFiles.Tool.Torture;

namespace AtomicFiles.CrashTests.NaiveWriter;

/// <summary>
/// How the torture harness starts the naive control writer: this test assembly with the <see cref="Verb"/> verb
/// (<see cref="CrashTestsProgram"/>), so the control lives only here, never in the shipped tool.
/// </summary>
internal static class NaiveWriterLauncher
{
    internal const string Verb = "naive-writer";

    internal static TortureWriterLauncher Launcher
    {
        get
        {
            var (program, args) = ManagedProgram.Command(CrashTestsProgram.Dll);
            return new(program, [.. args, Verb]);
        }
    }
}
