package ui

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/testdb"
)

// Browser tests drive the page in headless Chromium (Debian's chromium
// package, which .ci/run installs), through chromedp. Without a browser
// they skip, or fail under DATASYNC_TEST_REQUIRE_DB=1. A failing test saves
// a screenshot of the page in the temporary directory and logs its path.
// DATASYNC_UI_SCREENSHOTS=DIR saves the main screens there (README's
// docs/ui-*.png are made so).

// chromiumPath is the browser the tests drive: $DATASYNC_TEST_CHROMIUM,
// else chromium on the PATH.
func chromiumPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("DATASYNC_TEST_CHROMIUM")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path != "" {
		if _, err := os.Stat(path); err == nil {
			return path
		}
	}
	if testdb.Required() {
		t.Fatalf("no chromium (%q) to run the browser tests (apt-get install chromium, or set DATASYNC_TEST_CHROMIUM); %s=1 requires them",
			path, testdb.RequireEnv)
	}
	t.Skipf("no chromium (%q): browser tests skipped (apt-get install chromium, or set DATASYNC_TEST_CHROMIUM)", path)
	return ""
}

// browser is a headless tab at 1280x800 on the fixture's page.
type browser struct {
	t   *testing.T
	ctx context.Context
}

func newBrowser(t *testing.T, f *fixture) *browser {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Headless, chromedp.DisableGPU, chromedp.WindowSize(1280, 800))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	b := &browser{t: t, ctx: ctx}
	t.Cleanup(func() {
		if t.Failed() {
			b.failureScreenshot()
		}
		cancelTime()
		cancelTab()
		cancelAlloc()
	})
	b.do(chromedp.EmulateViewport(1280, 800), chromedp.Navigate(f.srv.URL(f.host)))
	b.wait(`document.querySelector('#source-ds option[value="shop"]') !== null`)
	return b
}

// failureScreenshot saves the page as it is when the test failed.
func (b *browser) failureScreenshot() {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if fields, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('select, input, textarea')]`+
		`.map(e => e.id + '=' + (e.type === 'checkbox' ? e.checked : e.value)).join(' ')`)); err == nil {
		b.t.Logf("the form when the test failed: %s", fields)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("no failure screenshot: %v", err)
		return
	}
	path := filepath.Join(os.TempDir(), "datasync-ui-"+strings.ReplaceAll(b.t.Name(), "/", "_")+"-failure.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Logf("no failure screenshot: %v", err)
		return
	}
	b.t.Logf("screenshot of the page when the test failed: %s", path)
}

// screenshot saves the viewport as name in $DATASYNC_UI_SCREENSHOTS, if set.
func (b *browser) screenshot(name string) {
	dir := os.Getenv("DATASYNC_UI_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	require.NoError(b.t, err)
	require.NoError(b.t, os.WriteFile(filepath.Join(dir, name), png, 0o644))
}

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	require.NoError(b.t, chromedp.Do(b.ctx, actions...))
}

// wait waits until the JavaScript expression is true.
func (b *browser) wait(expr string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(30*time.Second)))
	require.NoError(b.t, err, "waiting for %s", expr)
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.TextContent(chromedp.CSS(sel)))
	require.NoError(b.t, err, sel)
	return s
}

func (b *browser) eval(expr string) bool {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr))
	require.NoError(b.t, err, expr)
	return v
}

// choose picks an option of a select as a user does: the value changes,
// and the page hears "change".
func (b *browser) choose(sel, value string) {
	b.t.Helper()
	b.wait(`document.querySelector('` + sel + ` option[value="` + value + `"]') !== null`)
	b.do(chromedp.Focus(chromedp.CSS(sel)), chromedp.SetValue(chromedp.CSS(sel), value))
	b.eval(`document.querySelector('` + sel + `').dispatchEvent(new Event('change')) || true`)
}

func (b *browser) click(sel string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(sel)))
}

// fits checks that the page needs no horizontal scrolling at 1280x800.
func (b *browser) fits(step string) {
	b.t.Helper()
	assert.True(b.t, b.eval(`document.documentElement.scrollWidth <= window.innerWidth`), "step %s overflows 1280px", step)
}

func TestBrowserBuildsChecksConvertsAndRunsAMySQLToPostgreSQLJob(t *testing.T) {
	f := newFixture(t)
	f.tables(30)
	b := newBrowser(t, f)

	// 1. The source and the destination, connectivity tested.
	b.choose("#source-ds", "shop")
	b.choose("#target-ds", "dw")
	b.click("#source-test")
	b.wait(`document.querySelector('#source-test-result').textContent.includes('probed shop')`)
	assert.NotContains(t, b.text("#target-ds"), "lake", "an OSS data source is not offered as a destination")
	assert.Contains(t, b.text("#source-ds"), "lake", "but as a source")
	b.fits("sources")

	// 2. The tables, and a preview of the first rows.
	b.click("#step-sources .next")
	b.choose("#source-table", "orders")
	b.choose("#target-table", "orders_copy")
	b.click("#preview")
	b.wait(`document.querySelectorAll('#preview-table tbody tr').length === 20`)
	assert.Contains(t, b.text("#preview-table tbody tr:first-child"), "customer 1")
	assert.Contains(t, b.text("#preview-table thead"), "datetime(3)")
	b.fits("tables")
	b.screenshot("ui-tables.png")

	// 3. Mapped by row: two pairs are wrong, and the check says so beside them.
	b.click("#nav-mapping")
	b.wait(`document.querySelectorAll('#mapping-table tbody select').length === 4 && document.querySelectorAll('#map-3 option').length === 5`)
	b.click("#map-row")
	assert.Contains(t, b.text("#map-src-type-2"), "datetime(3)", "types shown before checking")
	b.click("#check")
	b.wait(`document.querySelector('#check-summary').textContent.startsWith('Check found problems')`)
	assert.Contains(t, b.text("#map-status-2"), `cannot be written to column "amount"`)
	assert.Contains(t, b.text("#map-status-3"), `cannot be written to column "placed"`)
	assert.Contains(t, b.text("#map-status-0"), "compatible")
	assert.True(t, b.eval(`document.querySelector('#map-2').getAttribute('aria-invalid') === 'true'`))
	b.screenshot("ui-mapping.png")

	// Fixed by hand.
	b.choose("#map-2", "amount")
	b.choose("#map-3", "placed")
	assert.Empty(t, b.text("#map-status-2"), "a changed mapping drops the old verdict")
	b.click("#check")
	b.wait(`document.querySelector('#check-summary').textContent.startsWith('Check passed')`)
	for i := range 4 {
		assert.Contains(t, b.text("#map-status-"+string(rune('0'+i))), "compatible")
	}
	b.fits("mapping")

	// 4. The channel.
	b.click("#nav-channel")
	b.do(chromedp.SetValue(chromedp.CSS("#ch-concurrent"), "3"))

	// 6. Converted to a script (one way), and saved.
	b.click("#nav-script")
	b.click("#convert")
	b.wait(`!document.querySelector('#scripts').hidden`)
	dw := b.text("#script-dataworks")
	assert.Contains(t, dw, `"version": "2.0"`)
	assert.Contains(t, dw, `"stepType": "mysql"`)
	assert.Contains(t, dw, `"concurrent": 3`)
	assert.Contains(t, b.text("#script-datax"), `"name": "postgresqlwriter"`)
	assert.True(t, b.eval(`document.querySelector('#step-mapping fieldset').disabled`), "the form is read-only")
	b.do(chromedp.SetValue(chromedp.CSS("#save-path"), "orders-job.json"))
	b.click("#save")
	b.wait(`document.querySelector('#save-result').textContent.startsWith('Saved')`)
	saved, err := os.ReadFile(filepath.Join(f.dir, "orders-job.json"))
	require.NoError(t, err)
	assert.Equal(t, dw, string(saved))
	b.fits("script")
	b.screenshot("ui-script.png")

	// 5. Run: live progress, then the report.
	b.click("#nav-run")
	b.click("#run")
	b.wait(`!document.querySelector('#report').hidden`)
	assert.Equal(t, "Succeeded.", b.text("#run-state"), b.text("#report"))
	assert.Equal(t, "30", b.text("#r-written"))
	assert.Equal(t, "0", b.text("#r-dirty"))
	assert.Contains(t, b.text("#p-splits"), " / ")
	b.screenshot("ui-run.png")
	b.fits("run")

	assert.Equal(t, 30, f.pgCount("orders_copy"))
	var placed string
	require.NoError(t, f.pg.QueryRow(context.Background(), `SELECT placed::text FROM orders_copy WHERE id = 7`).Scan(&placed))
	assert.Equal(t, "2026-11-17 10:00:00.25", placed)
}

func TestBrowserShowsDirtyRecordsAndWorksByKeyboard(t *testing.T) {
	f := newFixture(t)
	f.tables(10)
	f.pgExec(`ALTER TABLE orders_copy ALTER COLUMN customer TYPE varchar(12)`)
	f.mysqlExec("UPDATE orders SET customer = 'a name far too long' WHERE id = 4")
	b := newBrowser(t, f)

	// Steps change by keyboard: focus a step and press Enter.
	b.do(chromedp.Focus(chromedp.CSS("#nav-tables")), chromedp.KeyEvent("\r"))
	b.wait(`!document.querySelector('#step-tables').hidden && document.activeElement.id === 'h-tables'`)
	b.do(chromedp.Focus(chromedp.CSS("#nav-sources")), chromedp.KeyEvent("\r"))
	b.wait(`!document.querySelector('#step-sources').hidden`)

	// A data source added from the page, its password named, not typed.
	b.click("#add-ds summary")
	b.do(chromedp.SetValue(chromedp.CSS("#ds-name"), "replica"), chromedp.SetValue(chromedp.CSS("#ds-host"), "db.internal"),
		chromedp.SetValue(chromedp.CSS("#ds-database"), "shop"), chromedp.SetValue(chromedp.CSS("#ds-username"), "etl"),
		chromedp.SetValue(chromedp.CSS("#ds-password-env"), "REPLICA_PASSWORD"))
	b.choose("#ds-type", "mysql")
	b.click("#ds-save")
	b.wait(`document.querySelector('#ds-result').textContent.startsWith('Added replica')`)
	b.wait(`document.querySelector('#source-ds option[value="replica"]') !== null`)
	b.click("#ds-save")
	b.wait(`document.getElementById('err-ds.name').textContent.includes('already has one')`)
	b.fits("sources")
	b.screenshot("ui-sources.png")

	b.choose("#source-ds", "shop")
	b.choose("#target-ds", "dw")
	b.click("#nav-tables")
	b.choose("#source-table", "orders")
	b.choose("#target-table", "orders_copy")
	b.click("#nav-mapping")
	b.wait(`document.querySelectorAll('#mapping-table tbody select').length === 4 && document.querySelectorAll('#map-3 option').length === 5`)
	b.click("#map-name")
	b.click("#nav-channel")
	b.do(chromedp.SetValue(chromedp.CSS("#ch-dirty-limit"), "2"))
	b.click("#nav-run")
	b.click("#run")
	b.wait(`!document.querySelector('#report').hidden`)
	assert.Equal(t, "Succeeded.", b.text("#run-state"))
	assert.Equal(t, "9", b.text("#r-written"))
	assert.Equal(t, "1", b.text("#r-dirty"))
	b.click("#dirty-link")
	b.wait(`document.querySelector('#dirty-records').textContent.includes('a name far too long')`)
	assert.Equal(t, 9, f.pgCount("orders_copy"))

	// A run that cannot start says why, beside the field.
	b.do(chromedp.SetValue(chromedp.CSS("#ch-dirty-path"), "../outside.jsonl"))
	b.click("#run")
	b.wait(`document.getElementById('err-channel.dirtyPath').textContent !== ''`)
}
