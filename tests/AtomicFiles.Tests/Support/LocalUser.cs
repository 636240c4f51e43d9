using System.Diagnostics;

namespace AtomicFiles.Tests.Support;

/// <summary>A local user created by <see cref="LocalUsers"/>, and how to run programs as that user.</summary>
internal sealed record LocalUser(string Name, uint Uid, LocalGroup PrimaryGroup)
{
    /// <summary>The setpriv prefix that runs a program as this user with their primary and supplementary groups.</summary>
    internal string[] Wrapper =>
        ["setpriv", $"--reuid={Uid}", $"--regid={PrimaryGroup.Gid}", "--init-groups", "--"];

    /// <summary>Runs <paramref name="program"/> as this user; throws with its output if it fails.</summary>
    internal string Run(string program, params string[] args) => Command.Run(Wrapper[0], [.. Wrapper[1..], program, .. args]);

    /// <summary>Runs a shell snippet as this user; throws with its output if it fails.</summary>
    internal string Shell(string script, params string[] args) => Run("/bin/sh", ["-c", script, "sh", .. args]);

    /// <summary>Runs the atomicfile tool (a copy this user can load) as this user.</summary>
    internal Command.Result Tool(string toolDll, string? standardInput, params string[] args) =>
        ToolProcess.Run(args, standardInput, wrapper: Wrapper, timeout: TimeSpan.FromMinutes(2), toolDll: toolDll);

    /// <summary>Starts <paramref name="program"/> as this user with output redirected, and leaves it running.</summary>
    internal Process Start(string program, params string[] args) => Command.Start([.. Wrapper, program, .. args]);
}
