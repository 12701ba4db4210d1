using Microsoft.Extensions.Options;

namespace AWorld.Console.Accounts;

/// <summary>
/// Limits failed sign-ins per user name and per client address within a sliding window, so that guessing a
/// password is slow whichever of the two an attacker varies. State is in memory: a restart forgets it.
/// </summary>
public sealed class SignInThrottle(TimeProvider time, IOptions<ConsoleOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>How long the caller must wait before trying again, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(string userName, string? address)
    {
        var o = options.Value;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var user = Wait(UserKey(userName), o.MaxFailedSignInsPerUser, now);
            var ip = address is null ? null : Wait(AddressKey(address), o.MaxFailedSignInsPerAddress, now);
            return user > ip || ip is null ? user : ip;
        }
    }

    public void Failed(string userName, string? address)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            Add(UserKey(userName), now);
            if (address is not null)
            {
                Add(AddressKey(address), now);
            }
        }
    }

    public void Succeeded(string userName)
    {
        lock (_gate)
        {
            _failures.Remove(UserKey(userName));
        }
    }

    private TimeSpan? Wait(string key, int limit, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var queue))
        {
            return null;
        }

        var window = options.Value.SignInWindow;
        while (queue.Count > 0 && queue.Peek() <= now - window)
        {
            queue.Dequeue();
        }

        return queue.Count >= limit ? queue.Peek() + window - now : null;
    }

    private void Add(string key, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var queue))
        {
            _failures[key] = queue = new Queue<DateTimeOffset>();
        }

        queue.Enqueue(now);
    }

    private static string UserKey(string userName) => "user:" + userName.Trim().ToLowerInvariant();

    private static string AddressKey(string address) => "ip:" + address;
}
