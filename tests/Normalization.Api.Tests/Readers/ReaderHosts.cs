using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Normalization.Api.Readers;

namespace Normalization.Api.Tests.Readers;

/// <summary>
/// A second host on the collection's test database in read-only mode (<c>Normalization:Mode = ReadOnly</c>) with small public
/// limits: 3 expensive requests of burst per client, refilled at 1 a minute. Needs the collection's AppFixture to be up.
/// </summary>
public sealed class ReadOnlyHost : IAsyncLifetime
{
    public const int PublicBurst = 3;
    public IAlbaHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await AlbaHost.For<Program>(b =>
        b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ReaderSettings.ModeKey] = "ReadOnly",
            ["Normalization:RateLimit:PublicPerMinute"] = "1",
            ["Normalization:RateLimit:PublicBurst"] = PublicBurst.ToString(),
        })));

    public async Task DisposeAsync() { if (Host is not null) await Host.DisposeAsync(); }
}

/// <summary>
/// A second (read-write) host on the collection's test database whose reference clock is a <see cref="FakeTimeProvider"/> the
/// tests move (registered under <see cref="ReaderClock.ReferenceKey"/>, wrapped by the app's <see cref="ReaderClock"/>).
/// </summary>
public sealed class FakeClockHost : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public IAlbaHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await AlbaHost.For<Program>(b =>
        b.ConfigureServices(s => s.AddKeyedSingleton<TimeProvider>(ReaderClock.ReferenceKey, Clock)));

    public async Task DisposeAsync() { if (Host is not null) await Host.DisposeAsync(); }
}
