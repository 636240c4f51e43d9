namespace AtomicFiles.Tests.Support;

/// <summary>
/// A throwaway local user (useradd, with its own group), optionally a member of an extra throwaway group, removed with
/// both groups on dispose. For tests that need a second real user with group memberships, which nobody (65534) lacks.
/// </summary>
internal sealed class LocalUser : IDisposable
{
    private LocalUser(string name, string? extraGroup)
    {
        Name = name;
        ExtraGroup = extraGroup;
    }

    internal string Name { get; }

    /// <summary>The extra group the user belongs to, if one was asked for.</summary>
    internal string? ExtraGroup { get; }

    /// <summary>Creates the user, and first a group <c>{name}g</c> it joins when <paramref name="withExtraGroup"/>.</summary>
    internal static LocalUser Create(bool withExtraGroup)
    {
        var name = "afl" + Guid.NewGuid().ToString("N")[..10];
        var group = withExtraGroup ? name + "g" : null;
        if (group is not null)
        {
            Command.Run("groupadd", group);
        }

        try
        {
            string[] memberOf = group is null ? [] : ["-G", group];
            Command.Run("useradd", ["--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin", .. memberOf, name]);
        }
        catch
        {
            if (group is not null)
            {
                Command.Run("groupdel", group);
            }

            throw;
        }

        return new LocalUser(name, group);
    }

    /// <summary>A wrapper that runs a command as this user, with its groups (setpriv --init-groups).</summary>
    internal string[] RunAs() => ["setpriv", $"--reuid={Name}", $"--regid={Name}", "--init-groups"];

    public void Dispose()
    {
        Command.Run("userdel", Name);
        if (ExtraGroup is not null)
        {
            Command.Run("groupdel", ExtraGroup);
        }
    }
}
