using System.Text;
using Spectre.Console;

namespace Normalization.Api.Commands;

/// <summary>
/// How the command line writes: colours and styles only to a terminal, and only when <c>NO_COLOR</c> is not set
/// (https://no-color.org); plain text into a pipe or a file (Spectre's own detection answers yes to a colour TERM even
/// when the output is redirected). Spectre markup that a framework command writes as text is rendered (or stripped).
/// </summary>
public static class CommandOutput
{
    /// <summary>Whether NO_COLOR asks for plain output (set and not empty).</summary>
    static bool NoColor => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>Whether stdout gets plain text: it is not a terminal, or NO_COLOR is set.</summary>
    public static bool PlainStdout => Console.IsOutputRedirected || NoColor;

    /// <summary>Whether stderr gets plain text: it is not a terminal, or NO_COLOR is set.</summary>
    public static bool PlainStderr => Console.IsErrorRedirected || NoColor;

    /// <summary>A Spectre console writing to <paramref name="writer"/>: no ANSI codes at all when <paramref name="plain"/>.</summary>
    public static IAnsiConsole Create(TextWriter writer, bool plain) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
    });

    /// <summary>
    /// For a framework command (Marten's and JasperFx's: <c>projections</c>, <c>db-apply</c>, …): AnsiConsole and
    /// Console.Out write plain text when stdout is not a terminal or NO_COLOR is set, and a line of Spectre markup written
    /// as text (JasperFx's "[purple]Finished rebuild in … ms[/]") is rendered, or stripped when plain.
    /// </summary>
    public static void UseForFrameworkCommands()
    {
        var plain = PlainStdout;
        var stdout = new MarkupTextWriter(Console.Out, plain);
        Console.SetOut(stdout);
        AnsiConsole.Console = Create(stdout, plain);
    }

    /// <summary>
    /// <paramref name="inner"/> without the line breaks written before its first other character: a stream whose first
    /// line is its first message (the data commands' stderr: a one-line <c>error: …</c>, README). The writes after pass unchanged.
    /// </summary>
    public static TextWriter WithoutLeadingBlankLines(TextWriter inner) => new LeadingBlankLinesDropped(inner);

    sealed class LeadingBlankLinesDropped(TextWriter inner) : TextWriter
    {
        bool _started;

        public override Encoding Encoding => inner.Encoding;
        public override void Write(char value)
        {
            if (!_started && value is '\r' or '\n') return;
            _started = true;
            inner.Write(value);
        }
        public override void Write(string? value)
        {
            if (value is null) return;
            if (!_started)
            {
                value = value.TrimStart('\r', '\n');
                if (value.Length == 0) return;
                _started = true;
            }
            inner.Write(value);
        }
        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
        public override void WriteLine(string? value) { Write(value); Write(CoreNewLine); }
        public override void WriteLine() => Write(CoreNewLine);
        public override void Flush() => inner.Flush();
    }

    /// <summary>
    /// Passes text through, except a string holding Spectre markup (a closing <c>[/]</c> tag): rendered to styles on a
    /// terminal, its tags removed otherwise. Text that is not valid markup is written as it is.
    /// </summary>
    sealed class MarkupTextWriter(TextWriter inner, bool plain) : TextWriter
    {
        readonly IAnsiConsole? _render = plain ? null : Create(inner, plain: false);

        public override Encoding Encoding => inner.Encoding;
        public override void Write(char value) => inner.Write(value);
        public override void Write(string? value)
        {
            if (value is null || !value.Contains("[/]", StringComparison.Ordinal)) { inner.Write(value); return; }
            try
            {
                if (_render is not null) _render.Markup(value);
                else inner.Write(Markup.Remove(value));
            }
            catch (InvalidOperationException) { inner.Write(value); } // not markup after all: as written
        }
        public override void WriteLine(string? value)
        {
            Write(value);
            inner.WriteLine();
        }
        public override void Flush() => inner.Flush();
    }
}
