using System.Diagnostics;

namespace AtomicFiles.Testing;

/// <summary>
/// Runs the atomicfile tool in a child process, optionally under another program (strace, setpriv). By default the
/// test tool (tests/AtomicFiles.TestTool): the shipped tool plus the verbs only tests use (increment, transaction with
/// crash hooks, create-new); tests of what users get name <see cref="ShippedToolDll"/>.
/// </summary>
internal static class ToolProcess
{
    /// <summary>The built test tool, copied next to the test assembly by the project reference.</summary>
    public static string ToolDll => Path.Join(AppContext.BaseDirectory, "atomicfile-test.dll");

    /// <summary>The tool as it ships in the package: no test verbs, no hooks.</summary>
    public static string ShippedToolDll => Path.Join(AppContext.BaseDirectory, "atomicfile.dll");

    public static string DotnetHost => Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet"
        ? host
        : "dotnet";

    /// <summary>
    /// Copies the built tool into <paramref name="directory"/> (created) and returns the copy's dll, for tests that run
    /// it as another user: the checkout may lie under a directory only its owner may enter (a home directory, a
    /// mktemp -d), where that user cannot even load the tool.
    /// </summary>
    public static string CopyForAnotherUser(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory))
        {
            File.Copy(file, Path.Join(directory, Path.GetFileName(file)));
        }

        return Path.Join(directory, Path.GetFileName(ToolDll));
    }

    /// <summary>
    /// Runs `atomicfile ARGS`, prefixed by <paramref name="wrapper"/> (e.g. strace and its options) when given, from
    /// <paramref name="toolDll"/> if given (a <see cref="CopyForAnotherUser"/> copy), else from <see cref="ToolDll"/>,
    /// with <paramref name="environment"/> added to the inherited environment, in <paramref name="workingDirectory"/> if given.
    /// </summary>
    /// <exception cref="TimeoutException">It ran past <paramref name="timeout"/> (default 2 minutes).</exception>
    public static Command.Result Run(
        IEnumerable<string> args, string? standardInput = null, IEnumerable<string>? wrapper = null, TimeSpan? timeout = null, string? toolDll = null,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        Command.Execute(CommandLine(args, wrapper, toolDll), standardInput, timeout ?? TimeSpan.FromMinutes(2), environment, workingDirectory);

    /// <summary>
    /// Starts `atomicfile ARGS` with standard input, output and error redirected, and leaves it running: for tests that
    /// need a live writer in another process (e.g. `write PATH` holds its writer open until standard input closes).
    /// </summary>
    public static Process Start(
        IEnumerable<string> args, IEnumerable<string>? wrapper = null, string? toolDll = null, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null) =>
        Command.Start(CommandLine(args, wrapper, toolDll), environment, workingDirectory);

    private static List<string> CommandLine(IEnumerable<string> args, IEnumerable<string>? wrapper, string? toolDll) =>
        [.. wrapper ?? [], DotnetHost, toolDll ?? ToolDll, .. args];
}
