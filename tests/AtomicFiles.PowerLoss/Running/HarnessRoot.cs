using System.Globalization;
using AtomicFiles.Testing;

namespace AtomicFiles.PowerLoss.Running;

/// <summary>
/// The harness's own directory, at a fixed name in a sticky shared directory (/dev/shm or /tmp) so that a later run can
/// sweep what a killed one left. Anyone may create that name first. As root the harness then mounts, loop-attaches
/// and deletes below it, so it uses the name only when it is a real directory of its own user that no one else may
/// write to. In a sticky directory no one else can then rename or replace it.
/// </summary>
public static class HarnessRoot
{
    /// <summary>Creates <paramref name="root"/> (owner-only) if nothing is there, then checks that it is ours.</summary>
    /// <exception cref="InvalidOperationException">Something else is at the name: a link, a file, another user's directory, or one others may write to.</exception>
    public static void Claim(string root)
    {
        if (!Path.Exists(root) && new FileInfo(root).LinkTarget is null)
        {
            Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // stat(1) without -L describes the name itself, as lstat(2) does: a link is reported as one, never followed.
        var fields = Command.Run("stat", "--format=%u %a %F", "--", root).Trim().Split(' ', 3);
        var owner = uint.Parse(fields[0], CultureInfo.InvariantCulture);
        var mode = (UnixFileMode)Convert.ToInt32(fields[1], 8);
        var type = fields[2];
        var user = uint.Parse(Command.Run("id", "-u").Trim(), CultureInfo.InvariantCulture);
        if (type != "directory" || owner != user || (mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new InvalidOperationException(
                $"{root} is not this harness's own directory ({type}, owner uid {owner}, mode {fields[1]}; it must be a directory of uid {user} " +
                "that only its owner may write to). Something else created it; look at it, remove it, and run again.");
        }
    }
}
