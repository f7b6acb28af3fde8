#!/usr/bin/env python3
"""Logs in to a running Jixiao as each demo role and saves screenshots of the main pages.

Usage: python3 scripts/screenshots.py http://127.0.0.1:8080 OUT_DIR SUPERVISOR AGENT
Needs Debian's chromium + chromium-driver and `pip install selenium`. A person looks at the
PNGs; nothing is asserted here (the Rust HTTP tests do that).
"""
import sys, os, re
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

base, out, supervisor, agent = sys.argv[1:5]
os.makedirs(out, exist_ok=True)
opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--window-size=1400,1000"]:
    opts.add_argument(a)

def session(user, shots, lang="zh-CN"):
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    try:
        d.get(base + "/lang/" + lang)
        d.get(base + "/login")
        d.find_element(By.NAME, "username").send_keys(user)
        d.find_element(By.NAME, "password").send_keys("jixiao-demo")
        d.find_element(By.CSS_SELECTOR, "form button, form input[type=submit]").click()
        for name, path in shots:
            if path is not None:
                d.get(base + path)
            h = d.execute_script("return document.body.scrollHeight")
            d.set_window_size(1400, min(max(h + 40, 600), 3000))
            d.save_screenshot(os.path.join(out, name + ".png"))
            print("saved", name, d.current_url)
        return d.current_url
    finally:
        d.quit()

session("manager", [
    ("manager-overview", None),
    ("manager-periods", "/periods"),
    ("manager-imports", "/imports"),
    ("manager-schemes", "/config/schemes"),
    ("manager-targets", "/config/targets"),
    ("manager-calibration", "/config/calibration"),
    ("manager-complaints", "/complaints"),
    ("manager-complaint-stats", "/complaints/stats"),
    ("manager-competitions", "/competitions"),
    ("manager-audit", "/audit"),
])
session("admin", [("admin-users", "/admin/users"), ("admin-teams", "/admin/teams")])
url = session(supervisor, [("supervisor-team", None), ("supervisor-appeals", "/appeals")])
session(agent, [("agent-scorecard", None)])
session(agent, [("agent-scorecard-en", None)], lang="en")
