using GraphDiff.Nn;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace GraphDiff.Tests.Nn;

/// <summary>
/// The backprop stepper in a real browser: Debian's headless Chromium through its chromedriver (`.ci/run`
/// installs both with apt). The page is stepped with the keyboard to its last step, which must show the ledger's
/// last line, with no script error logged on the way.
/// </summary>
public class BackpropStepperTests
{
    private const string Browser = "/usr/bin/chromium", Driver = "/usr/bin/chromedriver";

    [Fact]
    public void SteppingThroughWithTheKeysEndsOnTheLastLedgerLine()
    {
        if (!File.Exists(Browser) || !File.Exists(Driver))
        {
            // CI installs Chromium; a developer's machine without it gets a clear message instead of a browser test.
            Assert.True(Environment.GetEnvironmentVariable("CI") is null, $"CI must have {Browser} and {Driver} (apt-get install chromium chromium-driver)");
            return;
        }
        var graph = CourseGraph.Build();
        var ledger = Backprop.Explain(graph.J);
        var page = Path.Combine(Path.GetTempPath(), $"graphdiff-stepper-{Environment.ProcessId}.html");
        File.WriteAllText(page, BackpropStepper.Html(graph.J));
        try
        {
            var options = new ChromeOptions { BinaryLocation = Browser };
            options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
            using var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
            service.HideCommandPromptWindow = true;
            using var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
            driver.Navigate().GoToUrl(new Uri(page).AbsoluteUri);
            var body = driver.FindElement(By.TagName("body"));
            int steps = ledger.Forward.Count + ledger.Backward.Count;
            Assert.Equal($"0 / {steps}", driver.FindElement(By.Id("counter")).Text);
            for (int k = 0; k < steps + 2; k++) body.SendKeys(Keys.ArrowRight);   // two extra presses stay on the last step
            Assert.Equal(ledger.Backward[^1].ToString(), driver.FindElement(By.Id("line")).Text);
            Assert.Equal($"{steps} / {steps}", driver.FindElement(By.Id("counter")).Text);
            Assert.Single(driver.FindElements(By.CssSelector("g.node.current")));
            body.SendKeys(Keys.ArrowLeft);
            Assert.Equal(ledger.Backward[^2].ToString(), driver.FindElement(By.Id("line")).Text);
            var errors = (long)((IJavaScriptExecutor)driver).ExecuteScript("return window.__errors.length;")!;
            Assert.Equal(0L, errors);
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
