namespace AWorld.Console.Components;

/// <summary>
/// How a live view's callback leaves the publisher's thread. In the console it hops to the thread pool, so that a busy
/// circuit never holds up the estate loop or the other views; the component tests use <see cref="Inline"/>, so that a
/// render happens within the fake clock's <c>Advance</c> that made it due, and a test asserts right after it.
/// </summary>
public sealed class LiveDispatch(Func<Func<Task>, Task> run)
{
    public static LiveDispatch ThreadPool { get; } = new(work => Task.Run(work));

    public static LiveDispatch Inline { get; } = new(work => work());

    public Task Run(Func<Task> work) => run(work);
}
