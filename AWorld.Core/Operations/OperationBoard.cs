using System.Collections.Immutable;
using AWorld.Core.Engine;

namespace AWorld.Core.Operations;

/// <summary>
/// What the views show of the guarded path: every open operation and the newest finished ones, newest first, as of
/// the last change. Immutable: a change publishes a new board.
/// </summary>
public sealed record OperationBoard(ImmutableArray<Operation> Operations, long Revision)
{
    /// <summary>How many operations a board holds at most besides the open ones.</summary>
    public const int Size = 100;

    public static OperationBoard Empty { get; } = new([], 0);

    public Operation? Find(string id) => Operations.FirstOrDefault(o => o.Id == id);

    /// <summary>A board with <paramref name="changed"/> in place of its older version (or added), still newest first and bounded.</summary>
    public OperationBoard With(Operation changed)
    {
        var list = Operations.RemoveAll(o => o.Id == changed.Id).Add(changed);
        return new OperationBoard(Bound(list), Revision + 1);
    }

    public static OperationBoard From(IEnumerable<Operation> operations) => new(Bound(operations.DistinctBy(o => o.Id)), 1);

    private static ImmutableArray<Operation> Bound(IEnumerable<Operation> operations)
    {
        var ordered = operations.OrderByDescending(o => o.RequestedAt).ThenByDescending(o => o.Id, StringComparer.Ordinal).ToList();
        var finished = 0;
        return [.. ordered.Where(o => o.IsOpen || ++finished <= Size)];
    }
}

/// <summary>The operations board as a live stream: the operation service publishes each change, views subscribe.</summary>
public sealed class OperationsStream(TimeProvider time) : StateStream<OperationBoard>(time, TimeSpan.FromMilliseconds(250));
