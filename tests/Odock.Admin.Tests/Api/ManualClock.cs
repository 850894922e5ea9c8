namespace Odock.Admin.Tests.Api;

/// <summary>A clock the test moves by hand: session, token and key expiries and grace periods without waiting.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero).UtcTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
}
