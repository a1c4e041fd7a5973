# What every program says, in Chinese: errors and hints. Read after lesson.ftl
# (one catalog, see lesson::lang); the other language has the same ids.
