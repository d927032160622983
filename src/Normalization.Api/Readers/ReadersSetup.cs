namespace Normalization.Api.Readers;

/// <summary>
/// The reader-facing features in the composition root: the reader's clock (<see cref="ReaderClock"/> as the app's
/// <see cref="TimeProvider"/>), read-only mode, the <c>?tz=</c> zone and the embed view's framing headers.
/// </summary>
public static class ReadersSetup
{
    /// <summary>
    /// Registers <see cref="ReaderClock"/> as the <see cref="TimeProvider"/> (after the storage's registration, so it wins). It wraps the
    /// clock a test registers under <see cref="ReaderClock.ReferenceKey"/>, else the system clock.
    /// </summary>
    public static void AddReaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimeProvider>(sp => new ReaderClock(
            sp.GetKeyedService<TimeProvider>(ReaderClock.ReferenceKey) ?? TimeProvider.System,
            ReaderSettings.From(sp.GetRequiredService<IConfiguration>()).TimeZone));
    }

    /// <summary>Read-only mode, the request's zone and the embed framing, in that order (after routing and the hardening, before authentication).</summary>
    public static void UseReaders(this WebApplication app)
    {
        var settings = ReaderSettings.From(app.Configuration);
        app.UseReadOnlyMode(settings);
        app.UseReaderTimeZone();
        app.UseEmbedFraming(settings);
    }
}
