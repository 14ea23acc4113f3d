using System.Text;
using System.Text.Json;

namespace GraphDiff;

/// <summary>
/// An interactive single-file HTML page that steps through backpropagation on a picture of the graph, in the order
/// the course teaches it: the forward pass, then the backward pass, one ledger line per step (→ or Space for the
/// next, ← for the previous, Home to restart). Each step writes what it computed onto its node — the value in the
/// forward pass, the gradient in the backward pass — with its ledger line beside the node, and scrolls the node
/// into view; nothing appears before its step, and a step back shows exactly what the page showed at that step.
/// Everything is inlined: no CDN, no network.
/// </summary>
public static class BackpropStepper
{
    /// <summary>The page for <paramref name="output"/> with the inputs in <paramref name="feed"/>.</summary>
    public static string Html(Node output, Feed? feed = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var ledger = Backprop.Explain(output, feed);
        var drawing = GraphPicture.Draw(output, feed);
        var svg = GraphSvg.Render(drawing, LineClasses(drawing));
        var steps = ledger.Forward.Select(l => (Pass: "forward", Line: l)).Concat(ledger.Backward.Select(l => (Pass: "backward", Line: l)));
        var sb = new StringBuilder();
        sb.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>GraphDiff backprop stepper</title>");
        sb.AppendLine("<style>body{font-family:Helvetica,Arial,sans-serif;margin:0 16px} h1{font-size:20px;margin:4px 0 8px}" +
                      " #controls{position:sticky;top:0;left:0;background:#fff;padding:8px 0;z-index:2;border-bottom:1px solid #ddd}" +
                      " #line{font-family:monospace;font-size:15px;margin:8px 0 0;min-height:1.4em}" +
                      " #picture{position:relative;padding:8px 0 160px}" +
                      " #callout{position:absolute;z-index:1;max-width:520px;background:#fffaf3;border:2px solid #e67e22;border-radius:6px;" +
                      "padding:4px 8px;font-family:monospace;font-size:13px;box-shadow:0 2px 6px rgba(0,0,0,.2)}" +
                      " g.node text.value,g.node text.gradient{display:none} g.node.computed text.value{display:inline}" +
                      " g.node.differentiated text.gradient{display:inline;fill:#c0392b}" +
                      " g.node.current rect{stroke:#e67e22;stroke-width:3} g.node.done rect{fill:#fdf2e9} .pass{color:#777} button{margin-right:6px}</style>");
        sb.AppendLine("<script>window.__errors=[];window.addEventListener('error',e=>window.__errors.push(String(e.message)));" +
                      "const __ce=console.error;console.error=(...a)=>{window.__errors.push(a.join(' '));__ce(...a);};</script></head><body>");
        sb.AppendLine("<div id=\"controls\"><h1>Backpropagation, step by step</h1>");
        sb.AppendLine("<div><button id=\"prev\">← previous</button><button id=\"next\">next →</button><button id=\"restart\">restart</button>" +
                      "<span class=\"pass\" id=\"pass\"></span> <span id=\"counter\"></span></div>");
        sb.AppendLine("<div id=\"line\"></div></div>");
        sb.AppendLine("<div id=\"picture\">");
        sb.AppendLine(svg);
        sb.AppendLine("<div id=\"callout\" style=\"display:none\"></div></div>");
        sb.Append("<script>const steps=").Append(StepsJson(steps)).AppendLine(";");
        sb.AppendLine("""
// Every show(i) rebuilds the page's state from the steps up to i, so that a step back is exact.
let step=-1;
function show(i){
  step=Math.max(-1,Math.min(steps.length-1,i));
  document.querySelectorAll('g.node').forEach(g=>g.classList.remove('current','done','computed','differentiated'));
  for(let k=0;k<=step;k++){
    const g=document.getElementById(steps[k].node); if(!g) continue;
    g.classList.add(k===step?'current':'done', steps[k].pass==='forward'?'computed':'differentiated');
  }
  document.getElementById('line').textContent=step<0?'Press → to start the forward pass.':steps[step].text;
  document.getElementById('pass').textContent=step<0?'':steps[step].pass+' pass';
  document.getElementById('counter').textContent=(step+1)+' / '+steps.length;
  const callout=document.getElementById('callout'), g=step<0?null:document.getElementById(steps[step].node);
  if(!g){callout.style.display='none';return;}
  // The step's line written beside its node, below the box, then both scrolled into the middle of the window.
  const picture=document.getElementById('picture').getBoundingClientRect(), box=g.getBoundingClientRect();
  callout.textContent=steps[step].text;
  callout.style.display='block';
  callout.style.left=(box.left-picture.left)+'px';
  callout.style.top=(box.bottom-picture.top+4)+'px';
  g.scrollIntoView({block:'center',inline:'center',behavior:'instant'});
}
document.getElementById('next').onclick=()=>show(step+1);
document.getElementById('prev').onclick=()=>show(step-1);
document.getElementById('restart').onclick=()=>show(-1);
document.addEventListener('keydown',e=>{if(e.key==='ArrowRight'||e.key===' '){e.preventDefault();show(step+1);}else if(e.key==='ArrowLeft'){e.preventDefault();show(step-1);}else if(e.key==='Home'){e.preventDefault();show(-1);}});
show(-1);
</script></body></html>
""");
        return sb.ToString();
    }

    /// <summary>
    /// The classes of a picture's lines: after the title and the shape, the value lines ("value") up to the first
    /// line of the gradient ("gradient", from dJ/d… on), which the page shows only from their step on.
    /// </summary>
    /// <summary>
    /// The steps as a JSON array, written without reflection (so the page is made in trimmed and file-based apps
    /// too, where reflection-based serialisation is off); the default encoder escapes &lt; and &amp;, safe in a script.
    /// </summary>
    private static string StepsJson(IEnumerable<(string Pass, LedgerLine Line)> steps)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var (pass, line) in steps)
            {
                json.WriteStartObject();
                json.WriteString("pass", pass);
                json.WriteString("node", $"n{line.NodeId}");
                json.WriteString("text", line.ToString());
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static Func<long, int, string?> LineClasses(GraphDrawing drawing)
    {
        var firstGradientLine = drawing.Nodes.ToDictionary(n => n.Id, n =>
        {
            int k = 2;
            while (k < n.Lines.Count && !n.Lines[k].StartsWith("dJ/d", StringComparison.Ordinal)) k++;
            return k;
        });
        return (id, k) => k < 2 ? null : k < firstGradientLine[id] ? "value" : "gradient";
    }
}
