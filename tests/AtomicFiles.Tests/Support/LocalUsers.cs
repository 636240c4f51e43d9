using System.Globalization;

namespace AtomicFiles.Tests.Support;

/// <summary>
/// Throwaway local users and groups for hostile-user tests (Linux, root): created with useradd/groupadd under names
/// starting with <see cref="Prefix"/> and the creating process's id, removed in <see cref="Dispose"/> even after a
/// failure. The first use in a process removes leftovers of runs that were killed before they could clean up.
/// </summary>
internal sealed class LocalUsers : IDisposable
{
    /// <summary>Every name this fixture creates starts with this, followed by the creating process's id and a dash.</summary>
    internal const string Prefix = "afx-";

    // useradd/userdel lock /etc/passwd and fail rather than wait when another instance holds it.
    private static readonly object s_accountsLock = new();
    private static bool s_swept;

    private readonly List<LocalUser> _users = [];
    private readonly List<LocalGroup> _groups = [];

    internal LocalUsers()
    {
        lock (s_accountsLock)
        {
            if (!s_swept)
            {
                SweepStale();
                s_swept = true;
            }
        }
    }

    /// <summary>A new group.</summary>
    internal LocalGroup CreateGroup(string role)
    {
        var name = NewName(role);
        lock (s_accountsLock)
        {
            Command.Run("groupadd", name);
            var group = new LocalGroup(name, GroupId(name));
            _groups.Add(group);
            return group;
        }
    }

    /// <summary>A new user with a primary group of its own name, and member of <paramref name="supplementary"/>.</summary>
    internal LocalUser CreateUser(string role, params LocalGroup[] supplementary)
    {
        var name = NewName(role);
        var args = new List<string> { "--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin" };
        if (supplementary.Length > 0)
        {
            args.Add("--groups");
            args.Add(string.Join(',', supplementary.Select(g => g.Name)));
        }

        args.Add(name);
        lock (s_accountsLock)
        {
            Command.Run("useradd", [.. args]);
            var user = new LocalUser(
                name,
                uint.Parse(Command.Run("id", "-u", name).Trim(), CultureInfo.InvariantCulture),
                new LocalGroup(name, GroupId(name)));
            _users.Add(user);
            return user;
        }
    }

    public void Dispose()
    {
        lock (s_accountsLock)
        {
            foreach (var user in _users)
            {
                RemoveUser(user.Name);
            }

            // userdel keeps a user's own group while another user is in it (a watcher in alice's group): remove it after.
            foreach (var group in _users.Select(u => u.PrimaryGroup).Concat(_groups))
            {
                RemoveGroup(group.Name);
            }
        }
    }

    private static string NewName(string role) =>
        $"{Prefix}{Environment.ProcessId}-{role}{Random.Shared.Next(0x10000):x4}";

    private static uint GroupId(string name) =>
        uint.Parse(Command.Run("getent", "group", name).Split(':')[2], CultureInfo.InvariantCulture);

    /// <summary>Removes users and groups of this fixture whose creating process no longer runs (or is this one, before it made any).</summary>
    private static void SweepStale()
    {
        foreach (var name in StaleNames("/etc/passwd"))
        {
            RemoveUser(name);
        }

        foreach (var name in StaleNames("/etc/group"))
        {
            RemoveGroup(name);
        }
    }

    private static List<string> StaleNames(string database) =>
        File.ReadAllLines(database)
            .Select(line => line.Split(':')[0])
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
            .Where(name =>
            {
                var pid = name[Prefix.Length..].Split('-')[0];
                return pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture) || !Directory.Exists($"/proc/{pid}");
            })
            .ToList();

    private static void RemoveUser(string name) => RunIgnoringFailure("userdel", name);

    private static void RemoveGroup(string name) => RunIgnoringFailure("groupdel", name);

    private static void RunIgnoringFailure(string program, string name)
    {
        try
        {
            Command.Run(program, name);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
