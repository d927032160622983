using Microsoft.Extensions.Configuration;
using Normalization.Api.Alerts;

namespace Normalization.Api.Tests.Alerts;

/// <summary>The alert settings are checked at start: one that cannot work stops it, naming its key.</summary>
public sealed class AlertOptionsTests
{
    static IConfiguration Config(params (string Key, string Value)[] values) => new ConfigurationBuilder()
        .AddInMemoryCollection(values.Select(v => KeyValuePair.Create<string, string?>(v.Key, v.Value))).Build();

    [Theory]
    [InlineData("Normalization:Alerts:TimeoutSeconds", "0", "Normalization:Alerts:TimeoutSeconds")]
    [InlineData("Normalization:Alerts:TimeoutSeconds", "-5", "Normalization:Alerts:TimeoutSeconds")]
    [InlineData("Normalization:Alerts:TimeoutSeconds", "NaN", "Normalization:Alerts:TimeoutSeconds")]
    [InlineData("Normalization:Alerts:RetryDelaysSeconds:1", "-1", "Normalization:Alerts:RetryDelaysSeconds:1")]
    [InlineData("Normalization:Alerts:AllowedHosts:0", " ", "Normalization:Alerts:AllowedHosts:0")]
    public void Regression_Given_an_alert_setting_that_cannot_work_When_read_at_start_Then_it_stops_naming_the_key(string key, string value, string named)
    {
        // Before the fix: a timeout of 0 made every delivery throw before its POST (left "pending"); a negative delay was scheduled as is.
        var configuration = Config(("Normalization:Alerts:RetryDelaysSeconds:0", "5"), (key, value));

        var e = Should.Throw<InvalidOperationException>(() => AlertOptions.From(configuration));

        e.Message.ShouldContain(named);
    }

    [Fact]
    public void Given_no_alert_settings_When_read_Then_the_documented_defaults()
    {
        var options = AlertOptions.From(Config());

        options.TimeoutSeconds.ShouldBe(10);
        options.MaxAttempts.ShouldBe(AlertOptions.DefaultRetryDelaysSeconds.Length + 1);
        options.AllowedHosts.ShouldBeEmpty();
    }
}
