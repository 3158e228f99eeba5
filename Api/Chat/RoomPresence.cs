namespace Nio.Api.Chat;

/// <summary>
/// Who is in which room on this Api instance: the connections of each room, and the signed-in viewers who joined
/// since the last announcement. <see cref="PresenceReporter"/> turns it into viewer counts across instances.
/// </summary>
public sealed class RoomPresence
{
    private readonly Lock gate = new();
    private readonly Dictionary<Guid, HashSet<string>> rooms = [];
    private readonly Dictionary<string, HashSet<Guid>> roomsOfConnection = [];
    private readonly Dictionary<string, Guid> userOfConnection = [];
    private readonly Dictionary<Guid, List<string>> newcomers = [];
    private readonly HashSet<Guid> changed = [];

    /// <summary>Adds the connection to the room; false when it is already in <paramref name="maxRooms"/> others.</summary>
    public bool Join(string connectionId, Guid streamId, Guid? userId, string? displayName, int maxRooms)
    {
        lock (gate)
        {
            if (userId is { } user)
            {
                userOfConnection[connectionId] = user;
            }

            if (!roomsOfConnection.TryGetValue(connectionId, out var joined))
            {
                roomsOfConnection[connectionId] = joined = [];
            }

            if (joined.Contains(streamId))
            {
                return true;
            }

            if (joined.Count >= maxRooms)
            {
                return false;
            }

            joined.Add(streamId);
            if (!rooms.TryGetValue(streamId, out var connections))
            {
                rooms[streamId] = connections = [];
            }

            connections.Add(connectionId);
            changed.Add(streamId);
            if (displayName is not null)
            {
                if (!newcomers.TryGetValue(streamId, out var names))
                {
                    newcomers[streamId] = names = [];
                }

                names.Add(displayName);
            }

            return true;
        }
    }

    public bool IsIn(string connectionId, Guid streamId)
    {
        lock (gate)
        {
            return roomsOfConnection.TryGetValue(connectionId, out var joined) && joined.Contains(streamId);
        }
    }

    public void Leave(string connectionId, Guid streamId)
    {
        lock (gate)
        {
            if (roomsOfConnection.TryGetValue(connectionId, out var joined) && joined.Remove(streamId))
            {
                RemoveFromRoom(connectionId, streamId);
            }
        }
    }

    /// <summary>Takes a closed connection out of every room it was in.</summary>
    public void Disconnect(string connectionId)
    {
        lock (gate)
        {
            userOfConnection.Remove(connectionId);
            if (roomsOfConnection.Remove(connectionId, out var joined))
            {
                foreach (var streamId in joined)
                {
                    RemoveFromRoom(connectionId, streamId);
                }
            }
        }
    }

    public int Count(Guid streamId)
    {
        lock (gate)
        {
            return rooms.TryGetValue(streamId, out var connections) ? connections.Count : 0;
        }
    }

    public IReadOnlyList<string> ConnectionsIn(Guid streamId)
    {
        lock (gate)
        {
            return rooms.TryGetValue(streamId, out var connections) ? [.. connections] : [];
        }
    }

    /// <summary>The rooms <paramref name="userId"/> is in through a connection here.</summary>
    public IReadOnlyList<Guid> RoomsOf(Guid userId)
    {
        lock (gate)
        {
            return [.. roomsOfConnection.Where(c => userOfConnection.TryGetValue(c.Key, out var user) && user == userId).SelectMany(c => c.Value).Distinct()];
        }
    }

    /// <summary>The connections here through which <paramref name="userId"/> is in the room.</summary>
    public IReadOnlyList<string> ConnectionsOf(Guid userId, Guid streamId)
    {
        lock (gate)
        {
            return rooms.TryGetValue(streamId, out var connections)
                ? [.. connections.Where(c => userOfConnection.TryGetValue(c, out var user) && user == userId)]
                : [];
        }
    }

    /// <summary>Every room with a connection here, with its count, and whether it changed since the last call.</summary>
    public IReadOnlyList<(Guid StreamId, int Viewers, bool Changed)> TakeCounts()
    {
        lock (gate)
        {
            var counts = rooms.Select(r => (r.Key, r.Value.Count, changed.Contains(r.Key)))
                .Concat(changed.Where(id => !rooms.ContainsKey(id)).Select(id => (id, 0, true)))
                .ToList();
            changed.Clear();
            return counts;
        }
    }

    /// <summary>The names of signed-in viewers who joined each room since the last call.</summary>
    public IReadOnlyDictionary<Guid, List<string>> TakeNewcomers()
    {
        lock (gate)
        {
            var taken = new Dictionary<Guid, List<string>>(newcomers);
            newcomers.Clear();
            return taken;
        }
    }

    private void RemoveFromRoom(string connectionId, Guid streamId)
    {
        if (rooms.TryGetValue(streamId, out var connections) && connections.Remove(connectionId))
        {
            changed.Add(streamId);
            if (connections.Count == 0)
            {
                rooms.Remove(streamId);
            }
        }
    }
}
