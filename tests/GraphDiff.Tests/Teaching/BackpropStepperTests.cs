using GraphDiff.Nn;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace GraphDiff.Tests.Nn;

/// <summary>
/// The backprop stepper in a real browser: Debian's headless Chromium through its chromedriver (`.ci/run`
/// installs both with apt). Stepped with the keyboard through the forward and the backward pass and back to the
/// start: after the k-th backward step exactly the first k gradients of the ledger are written on their nodes,
/// with the ledger's values, the step's chain-rule line is on its node, the current node is in view, and every
/// step back restores exactly what the page showed at that step.
/// </summary>
public class BackpropStepperTests
{
    private const string Browser = "/usr/bin/chromium", Driver = "/usr/bin/chromedriver";

    public static TheoryData<string> Graphs => new() { "course", "2-4-1" };

    private static (Node Output, Feed? Feed) Build(string name)
    {
        if (name == "course") return (CourseGraph.Build().J, null);
        var net = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh, Seed = 2 });
        var flower = Dataset.Flower();
        return (net.Cost, new Feed { { net.X, flower.X.SubMatrix(0, 2, 0, 5) }, { net.Y, flower.Y.SubMatrix(0, 1, 0, 5) } });
    }

    // What the page shows: per node, its visible value and gradient lines; the current node; the callout on it.
    private const string Snapshot = """
        const shown = t => getComputedStyle(t).display !== 'none';
        const nodes = [...document.querySelectorAll('g.node')].map(g => g.id + '|' +
            [...g.querySelectorAll('text.value')].filter(shown).map(t => t.textContent).join(' ') + '|' +
            [...g.querySelectorAll('text.gradient')].filter(shown).map(t => t.textContent).join(' '));
        const current = document.querySelector('g.node.current');
        const callout = document.getElementById('callout');
        const box = current ? current.getBoundingClientRect() : null;
        const header = document.getElementById('controls').getBoundingClientRect();
        const inView = !box || (box.top >= header.bottom - 1 && box.bottom <= innerHeight + 1 && box.left >= -1 && box.right <= innerWidth + 1);
        return [nodes.join('\n'), current ? current.id : '', callout.style.display === 'none' ? '' : callout.textContent, String(inView),
                document.getElementById('line').textContent];
        """;

    [Theory]
    [MemberData(nameof(Graphs))]
    public void EachStepWritesItsGradientOnItsNodeInViewAndStepsBackExactly(string graph)
    {
        if (!File.Exists(Browser) || !File.Exists(Driver))
        {
            // CI installs Chromium: there a missing browser fails the test; a developer's machine without it passes with a message.
            Assert.True(Environment.GetEnvironmentVariable("CI") is null, $"CI must have {Browser} and {Driver} (apt-get install chromium chromium-driver)");
            return;
        }
        var (output, feed) = Build(graph);
        var ledger = Backprop.Explain(output, feed);
        var page = Path.Combine(Path.GetTempPath(), $"graphdiff-stepper-{Environment.ProcessId}-{graph}.html");
        File.WriteAllText(page, BackpropStepper.Html(output, feed));
        try
        {
            var options = new ChromeOptions { BinaryLocation = Browser };
            // A small window, so that a network's picture does not fit and the stepper has to keep its node in view.
            options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=900,600");
            using var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
            service.HideCommandPromptWindow = true;
            using var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
            driver.Navigate().GoToUrl(new Uri(page).AbsoluteUri);
            var js = (IJavaScriptExecutor)driver;
            var body = driver.FindElement(By.TagName("body"));
            int forward = ledger.Forward.Count, steps = forward + ledger.Backward.Count;
            Assert.Equal($"0 / {steps}", driver.FindElement(By.Id("counter")).Text);
            var seen = new List<string[]>();
            for (int s = 0; s <= steps; s++)
            {
                if (s > 0) body.SendKeys(Keys.ArrowRight);
                var state = ((IReadOnlyCollection<object>)js.ExecuteScript(Snapshot)!).Select(o => (string)o).ToArray();
                seen.Add(state);
                var drawn = state[0].Split('\n').Select(l => l.Split('|')).ToDictionary(p => p[0], p => (Value: p[1], Gradient: p[2]));
                // Exactly the first k gradients of the ledger are on their nodes, with the ledger's values.
                int k = Math.Max(0, s - forward);
                var written = ledger.Backward.Take(k).Where(l => drawn.ContainsKey($"n{l.NodeId}")).ToDictionary(l => $"n{l.NodeId}");
                foreach (var (id, (value, gradient)) in drawn)
                {
                    if (written.TryGetValue(id, out var line))
                    {
                        Assert.StartsWith("dJ/d", gradient);
                        Assert.EndsWith($" = {line.Value}", gradient);
                    }
                    else Assert.True(gradient.Length == 0, $"step {s}: {id} shows {gradient} before its backward step");
                    // Values likewise appear with their forward step.
                    bool computed = ledger.Forward.Take(s).Any(l => $"n{l.NodeId}" == id);
                    Assert.True(computed == (value.Length > 0), $"step {s}: {id} value '{value}'");
                }
                if (s == 0) continue;
                var step = s <= forward ? ledger.Forward[s - 1] : ledger.Backward[s - forward - 1];
                Assert.Equal(step.ToString(), state[4]);
                if (drawn.ContainsKey($"n{step.NodeId}"))
                {
                    Assert.Equal($"n{step.NodeId}", state[1]);
                    Assert.Equal(step.ToString(), state[2]);   // the chain-rule line, on its node
                    Assert.True(state[3] == "true", $"step {s}: the current node {state[1]} is out of view");
                }
            }
            Assert.True(ledger.Backward.Count(l => seen[^1][0].Contains($"n{l.NodeId}|")) >= 3, "too few backward steps on drawn nodes");
            body.SendKeys(Keys.ArrowRight);   // an extra press stays on the last step
            Assert.Equal($"{steps} / {steps}", driver.FindElement(By.Id("counter")).Text);
            for (int s = steps - 1; s >= 0; s--)
            {
                body.SendKeys(Keys.ArrowLeft);
                var state = ((IReadOnlyCollection<object>)js.ExecuteScript(Snapshot)!).Select(o => (string)o).ToArray();
                Assert.Equal(seen[s].Take(3), state.Take(3));   // exactly as it was at step s
                Assert.Equal(seen[s][4], state[4]);
            }
            Assert.Equal(0L, (long)js.ExecuteScript("return window.__errors.length;")!);
        }
        finally
        {
            File.Delete(page);
        }
    }

    [Fact]
    public void ThePageIsSelfContained()
    {
        var html = BackpropStepper.Html(CourseGraph.Build().J);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));
        Assert.DoesNotContain("https://", html);
        // The steps are JSON with non-ASCII escaped (safe inside a script element): · is \u00B7.
        Assert.Contains("dJ/db = dJ/du \\u00B7 \\u2202u/\\u2202b", html);
    }
}
